// Certificates for webhook server tests: a CA and a 127.0.0.1 serving certificate, written to a
// temporary directory the way a Secret volume would hold them.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createCertificateAuthority, issueCertificate } from '../../../controller/localcluster/pki.ts';

export interface ServingPair {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export async function aServingPair(name: string): Promise<ServingPair> {
  const ca = await createCertificateAuthority(`${name}-ca`);
  const leaf = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', ipAddresses: ['127.0.0.1'] });
  return { caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
}

export interface CertDir {
  dir: string;
  certFile: string;
  keyFile: string;
  /** Replaces both files atomically (write + rename), as a certificate manager would. */
  write(pair: { certPem: string; keyPem: string }): void;
}

export function aCertDir(t: TestContext, pair: ServingPair): CertDir {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-webhook-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  const write = (p: { certPem: string; keyPem: string }): void => {
    writeFileSync(`${certFile}.tmp`, p.certPem);
    writeFileSync(`${keyFile}.tmp`, p.keyPem);
    renameSync(`${certFile}.tmp`, certFile);
    renameSync(`${keyFile}.tmp`, keyFile);
  };
  write(pair);
  return { dir, certFile, keyFile, write };
}
