// An HTTPS server on 127.0.0.1 with a certificate from a CA made for the test, e.g. to serve an
// admission webhook the API server calls (set caBundle to `caBundle` and url to `url + path`).
import { createServer, type Server } from 'node:https';
import type { RequestListener } from 'node:http';
import { createCertificateAuthority, issueCertificate } from '../../../controller/localcluster/pki.ts';

export interface TestTlsServer {
  /** https://127.0.0.1:<port> */
  url: string;
  port: number;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  /** The same, base64-encoded, as admissionregistration's clientConfig.caBundle wants it. */
  caBundle: string;
  server: Server;
  close(): Promise<void>;
}

export async function startTlsServer(handler: RequestListener): Promise<TestTlsServer> {
  const ca = await createCertificateAuthority('ramp-test-webhook-ca');
  const leaf = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', ipAddresses: ['127.0.0.1'] });
  const server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    caPem: ca.certPem,
    caBundle: Buffer.from(ca.certPem).toString('base64'),
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
