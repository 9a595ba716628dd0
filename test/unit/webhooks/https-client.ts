// A tiny HTTPS client for tests: one fresh connection per request (agent: false), so a test sees
// the certificate the server presents right now.
import { request } from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';

export interface HttpsResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
  peer: PeerCertificate;
}

export function httpsRequest(
  url: string,
  options: { method?: string; body?: string | Buffer; headers?: Record<string, string>; ca: string | string[] },
): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', ca: options.ca, agent: false, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      const peer = (res.socket as TLSSocket).getPeerCertificate();
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body), peer });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

export function postJson(url: string, body: unknown, ca: string): Promise<HttpsResult> {
  return httpsRequest(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' }, ca });
}
