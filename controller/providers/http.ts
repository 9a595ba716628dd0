// The HTTP client metric providers share: node:http(s) with a deadline, an abort signal, a cap on
// the response size, and optional TLS verification skipping. Error messages name the method and
// the URL without credentials; request headers and bodies never appear in them.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Largest response body read (10 MiB); a larger one fails the measurement instead of filling memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export interface HttpRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  /** Skip TLS certificate verification. */
  insecure?: boolean;
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The URL as it may be shown: without user:password@. */
export function displayUrl(url: URL | string): string {
  try {
    const u = new URL(url.toString());
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '<invalid URL>';
  }
}

export class HttpRequestError extends Error {
  override name = 'HttpRequestError';
}

export function sendHttp(req: HttpRequest): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.reject(new HttpRequestError(`invalid URL ${JSON.stringify(displayUrl(req.url))}`));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new HttpRequestError(`unsupported URL scheme ${url.protocol} (expected http or https)`));
  }
  const where = `${req.method} ${displayUrl(url)}`;
  const max = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const headers: Record<string, string> = { ...req.headers };
  if (url.username || url.password) {
    headers['Authorization'] ??= `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  }
  if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      client.destroy();
      reject(new HttpRequestError(`${where}: ${message}`));
    };
    const onAbort = (): void => fail('request aborted');
    const timer = setTimeout(() => fail(`no complete response within ${req.timeoutMs / 1000}s (timeout)`), req.timeoutMs);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const client = send(
      url,
      {
        method: req.method,
        headers,
        ...(url.protocol === 'https:' && req.insecure ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > max) {
          fail(`response body of ${declared} bytes is larger than the ${max} bytes accepted`);
          return;
        }
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) fail(`response body is larger than the ${max} bytes accepted`);
          else chunks.push(chunk);
        });
        res.on('error', (e) => fail(e.message));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          req.signal?.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      },
    );
    client.on('error', (e: NodeJS.ErrnoException) => fail(e.code && !e.message.includes(e.code) ? `${e.message} (${e.code})` : e.message));
    if (req.signal?.aborted) {
      onAbort();
      return;
    }
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.body !== undefined) client.write(req.body);
    client.end();
  });
}
