// Request headers from a metric's `headers[]` and `authentication` (basic, OAuth2 client credentials).
import type { Authentication, WebMetricHeader } from '../../functions/api/index.ts';
import { sendHttp } from './http.ts';

export async function authHeaders(
  headers: readonly WebMetricHeader[] | undefined,
  auth: Authentication | undefined,
  opts: { timeoutMs: number; insecure?: boolean; signal?: AbortSignal },
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const h of headers ?? []) out[h.key] = h.value;
  if (auth?.sigv4) throw new Error('authentication.sigv4 is not supported by Ramp yet');
  if (auth?.basicAuth && (auth.basicAuth.username || auth.basicAuth.password)) {
    out['Authorization'] = `Basic ${Buffer.from(`${auth.basicAuth.username ?? ''}:${auth.basicAuth.password ?? ''}`).toString('base64')}`;
  }
  if (auth?.oauth2?.tokenUrl) out['Authorization'] = `Bearer ${await oauth2Token(auth.oauth2, opts)}`;
  return out;
}

/** OAuth2 client-credentials grant: POST tokenUrl, read access_token. */
async function oauth2Token(
  o: NonNullable<Authentication['oauth2']>,
  opts: { timeoutMs: number; insecure?: boolean; signal?: AbortSignal },
): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (o.scopes?.length) form.set('scope', o.scopes.join(' '));
  const basic = Buffer.from(`${encodeURIComponent(o.clientId ?? '')}:${encodeURIComponent(o.clientSecret ?? '')}`).toString('base64');
  const res = await sendHttp({
    url: o.tokenUrl!,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', Authorization: `Basic ${basic}` },
    body: form.toString(),
    timeoutMs: opts.timeoutMs,
    maxResponseBytes: 1024 * 1024,
    ...(opts.insecure ? { insecure: true } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (res.status < 200 || res.status >= 300) throw new Error(`oauth2 token request failed with status ${res.status}`);
  let token: unknown;
  try {
    token = (JSON.parse(res.body.toString('utf8')) as { access_token?: unknown }).access_token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '') throw new Error('oauth2 token response has no access_token');
  return token;
}
