// Web: call a URL and judge its JSON answer (reference §11.7). `jsonPath` (default `{$}`) picks
// the value conditions see; the measurement's value is that value as JSON. A body that is not
// JSON is given to the conditions as a string. A non-2xx status is an Error measurement.
import { errorMeasurement, evaluateMeasurement, findJsonPath, parseJsonPath } from '../../functions/analysis/index.ts';
import type { Measurement, Metric, WebMetric } from '../../functions/api/index.ts';
import { authHeaders } from './auth.ts';
import { sendHttp } from './http.ts';
import { instantMeasurement, type MeasureContext, type MetricProvider } from './provider.ts';

export const DEFAULT_WEB_TIMEOUT_SECONDS = 10;

export interface WebProviderOptions {
  maxResponseBytes?: number;
}

/** Go's encoding/json output for decoded JSON: object keys sorted. */
export function goJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

export function createWebProvider(options: WebProviderOptions = {}): MetricProvider {
  return {
    type: 'web',
    ...instantMeasurement,
    async run(metric: Metric, ctx: MeasureContext): Promise<Measurement> {
      const startedAt = ctx.now();
      const w: WebMetric = metric.provider.web ?? { url: '' };
      try {
        const method = (w.method ?? 'GET').toUpperCase();
        if (!['GET', 'POST', 'PUT'].includes(method)) throw new Error(`unsupported method ${method} (GET, POST or PUT)`);
        if ((w.body !== undefined && w.body !== '') || w.jsonBody !== undefined) {
          if (method === 'GET') throw new Error('Body/JSONBody can only be used with POST or PUT WebMetric Method types');
          if (w.body !== undefined && w.body !== '' && w.jsonBody !== undefined) throw new Error('use either Body or JSONBody; both cannot exists for WebMetric payload');
        }
        const steps = parseJsonPath(w.jsonPath || '{$}');
        const timeoutMs = (w.timeoutSeconds && w.timeoutSeconds > 0 ? w.timeoutSeconds : DEFAULT_WEB_TIMEOUT_SECONDS) * 1000;
        const headers = await authHeaders(w.headers, w.authentication, { timeoutMs, ...(w.insecure ? { insecure: true } : {}), signal: ctx.signal });
        let body: string | undefined;
        if (w.jsonBody !== undefined) {
          body = JSON.stringify(w.jsonBody);
          if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
        } else if (w.body !== undefined && w.body !== '') {
          body = w.body;
        }
        const res = await sendHttp({
          url: w.url,
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          timeoutMs,
          ...(w.insecure ? { insecure: true } : {}),
          ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
          signal: ctx.signal,
        });
        if (res.status < 200 || res.status >= 300) throw new Error(`received non 2xx response code: ${res.status}`);
        const text = res.body.toString('utf8');
        let data: unknown;
        let isJson = true;
        try {
          data = JSON.parse(text);
        } catch {
          isJson = false;
          data = text;
        }
        if (!isJson) return evaluateMeasurement(metric, { result: text, value: text.slice(0, 1024) }, startedAt, ctx.now());
        let matches: unknown[];
        try {
          matches = findJsonPath(data, steps);
        } catch (e) {
          throw new Error(`Could not find JSONPath in body: ${(e as Error).message}`);
        }
        if (matches.length === 0) throw new Error('Could not find JSONPath in body: no match');
        const result = matches[0];
        const value = goJson(result) ?? 'null';
        return evaluateMeasurement(metric, { result, value: value.length > 4096 ? `${value.slice(0, 4096)}…` : value }, startedAt, ctx.now());
      } catch (e) {
        return errorMeasurement(e instanceof Error ? e.message : String(e), startedAt, ctx.now());
      }
    },
  };
}
