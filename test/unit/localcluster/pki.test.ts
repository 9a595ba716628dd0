import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey, createSign, createVerify } from 'node:crypto';
import { createCertificateAuthority, createClusterPki, issueCertificate } from '../../../controller/localcluster/pki.ts';

test('cluster PKI: serving cert for 127.0.0.1, admin in system:masters, both signed by the CA, back-dated', async () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const pki = await createClusterPki({ serviceIp: '10.96.0.1', now });
  const ca = new X509Certificate(pki.ca.certPem);
  const server = new X509Certificate(pki.apiserver.certPem);
  const admin = new X509Certificate(pki.admin.certPem);
  assert.equal(ca.ca, true);
  assert.ok(server.verify(ca.publicKey), 'serving cert signed by the CA');
  assert.ok(admin.verify(ca.publicKey), 'admin cert signed by the CA');
  assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(server.checkIP('10.96.0.1'), '10.96.0.1');
  assert.equal(server.ca, false);
  assert.match(admin.subject, /O=system:masters/);
  assert.match(admin.subject, /CN=ramp-admin/);
  assert.deepEqual(admin.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  for (const c of [ca, server, admin]) {
    assert.equal(new Date(c.validFrom).getTime(), now.getTime() - 60 * 60 * 1000, 'NotBefore is an hour back');
    assert.ok(new Date(c.validTo).getTime() > now.getTime() + 7 * 24 * 3600 * 1000);
  }
  assert.ok(server.checkPrivateKey(createPrivateKey(pki.apiserver.keyPem)));
  assert.ok(admin.checkPrivateKey(createPrivateKey(pki.admin.keyPem)));
});

test('service-account key pair signs and verifies RS256', async () => {
  const pki = await createClusterPki({ serviceIp: '10.96.0.1' });
  const priv = createPrivateKey(pki.serviceAccount.privateKeyPem);
  assert.equal(priv.asymmetricKeyType, 'rsa');
  assert.equal(priv.asymmetricKeyDetails?.modulusLength, 2048);
  const sig = createSign('sha256').update('token').sign(priv);
  assert.ok(createVerify('sha256').update('token').verify(createPublicKey(pki.serviceAccount.publicKeyPem), sig));
});

test('issueCertificate: DNS and IP SANs, server-and-client usage, not a CA', async () => {
  const ca = await createCertificateAuthority('test-ca');
  const leaf = await issueCertificate(ca, { commonName: 'webhook', usage: 'server-and-client', ipAddresses: ['127.0.0.1'], dnsNames: ['webhook.test'] });
  const cert = new X509Certificate(leaf.certPem);
  assert.equal(cert.checkHost('webhook.test'), 'webhook.test');
  assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(cert.checkIP('127.0.0.2'), undefined);
  assert.deepEqual([...(cert.keyUsage ?? [])].sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  assert.equal(cert.ca, false);
  assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
});
