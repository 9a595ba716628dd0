// Certificates for the local control plane and for test TLS servers, made with @peculiar/x509
// on node's WebCrypto. ECDSA P-256 for TLS, RSA-2048 for service-account token signing.
// NotBefore is back-dated an hour so a slightly skewed clock never sees a "not yet valid" cert.
import { webcrypto } from 'node:crypto';
import 'reflect-metadata'; // @peculiar/x509 (via tsyringe) needs the Reflect metadata polyfill
import * as x509 from '@peculiar/x509';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const subtle = webcrypto.subtle;

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ecdsaSign = { name: 'ECDSA', hash: 'SHA-256' } as const;
const backdateMs = 60 * 60 * 1000;
const defaultValidityDays = 30;

export interface CertificateAuthority {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  certPem: string;
  keyPem: string;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface CertificateRequest {
  commonName: string;
  organizations?: string[];
  ipAddresses?: string[];
  dnsNames?: string[];
  usage: 'server' | 'client' | 'server-and-client';
  validityDays?: number;
  now?: Date;
}

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - backdateMs), notAfter: new Date(now.getTime() + days * 24 * 60 * 60 * 1000) };
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
}

/** RFC 4514 name; values escaped for the characters that matter in DNs. */
function distinguishedName(commonName: string, organizations: string[] = []): string {
  const esc = (v: string): string => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [...organizations.map((o) => `O=${esc(o)}`), `CN=${esc(commonName)}`].join(', ');
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = await subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export async function createCertificateAuthority(commonName: string, opts: { validityDays?: number; now?: Date } = {}): Promise<CertificateAuthority> {
  const keys = (await subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: distinguishedName(commonName),
    ...validity(opts.now ?? new Date(), opts.validityDays ?? defaultValidityDays),
    signingAlgorithm: ecdsaSign,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys, certPem: cert.toString('pem'), keyPem: await pkcs8Pem(keys.privateKey) };
}

export async function issueCertificate(ca: CertificateAuthority, req: CertificateRequest): Promise<IssuedCertificate> {
  const keys = (await subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
  const usages: string[] = [];
  if (req.usage !== 'client') usages.push(x509.ExtendedKeyUsage.serverAuth);
  if (req.usage !== 'server') usages.push(x509.ExtendedKeyUsage.clientAuth);
  const names: x509.JsonGeneralName[] = [
    ...(req.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(req.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(usages, false),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: distinguishedName(req.commonName, req.organizations),
    issuer: ca.cert.subject,
    ...validity(req.now ?? new Date(), req.validityDays ?? defaultValidityDays),
    signingAlgorithm: ecdsaSign,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(keys.privateKey) };
}

/** RSA key pair for signing service-account tokens (RS256), as PKCS#8 / SPKI PEM. */
export async function createServiceAccountKeyPair(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const keys = (await subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const spki = await subtle.exportKey('spki', keys.publicKey);
  return { privateKeyPem: await pkcs8Pem(keys.privateKey), publicKeyPem: x509.PemConverter.encode(spki, 'PUBLIC KEY') };
}

export interface ClusterPki {
  ca: CertificateAuthority;
  apiserver: IssuedCertificate;
  admin: IssuedCertificate;
  serviceAccount: { privateKeyPem: string; publicKeyPem: string };
}

/** Names the API server answers to; clients always use 127.0.0.1. */
export const apiserverDnsNames = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

export async function createClusterPki(opts: { serviceIp: string; now?: Date }): Promise<ClusterPki> {
  const now = opts.now ?? new Date();
  const ca = await createCertificateAuthority('ramp-local-ca', { now });
  const [apiserver, admin, serviceAccount] = await Promise.all([
    issueCertificate(ca, { commonName: 'kube-apiserver', usage: 'server', ipAddresses: ['127.0.0.1', opts.serviceIp], dnsNames: apiserverDnsNames, now }),
    issueCertificate(ca, { commonName: 'ramp-admin', organizations: ['system:masters'], usage: 'client', now }),
    createServiceAccountKeyPair(),
  ]);
  return { ca, apiserver, admin, serviceAccount };
}
