// Minimal HTTP(S) requests for bringing the cluster up: health endpoints and a few API calls
// made with the admin client certificate, before any higher-level client is useful.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface TlsIdentity {
  ca: string;
  cert: string;
  key: string;
}

export interface HttpResult {
  status: number;
  body: string;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  contentType?: string;
  tls?: TlsIdentity;
  /** Accept any server certificate (self-signed component health endpoints). */
  insecure?: boolean;
  timeoutMs?: number;
}

export function httpCall(url: string, opts: RequestOptions = {}): Promise<HttpResult> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') {
    return Promise.reject(new Error(`refusing to call ${url}: the local cluster only talks to 127.0.0.1`));
  }
  const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const common = { method: opts.method ?? 'GET', headers, timeout: opts.timeoutMs ?? 5_000 };
    const onResponse = (res: import('node:http').IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req =
      target.protocol === 'https:'
        ? httpsRequest(target, {
            ...common,
            ca: opts.tls?.ca,
            cert: opts.tls?.cert,
            key: opts.tls?.key,
            rejectUnauthorized: !opts.insecure,
            agent: false,
          }, onResponse)
        : httpRequest(target, { ...common, agent: false }, onResponse);
    req.on('timeout', () => req.destroy(new Error(`timed out after ${common.timeout}ms: ${opts.method ?? 'GET'} ${url}`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
