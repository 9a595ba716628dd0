// Prometheus: an instant query (`/api/v1/query`), or a range query with `rangeQuery`. A scalar
// result is a number, a vector (or matrix) a list of numbers (expr-language §7.2); the
// measurement's value shows them as Prometheus wrote them: `0.5`, `[0.99,1]`.
import { errorMeasurement, evaluateMeasurement } from '../../functions/analysis/index.ts';
import type { Measurement, Metric, PrometheusMetric } from '../../functions/api/index.ts';
import { evaluateTime } from '../../functions/expr/index.ts';
import { Duration } from '../../functions/values/duration.ts';
import { authHeaders } from './auth.ts';
import { sendHttp } from './http.ts';
import { instantMeasurement, type MeasureContext, type MetricProvider } from './provider.ts';

export const PROMETHEUS_ADDRESS_ENV = 'ARGO_ROLLOUTS_PROMETHEUS_ADDRESS';
export const DEFAULT_PROMETHEUS_TIMEOUT_SECONDS = 30;
export const RESOLVED_QUERY_METADATA = 'ResolvedPrometheusQuery';

export interface PrometheusProviderOptions {
  /** Environment to read ARGO_ROLLOUTS_PROMETHEUS_ADDRESS from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  maxResponseBytes?: number;
}

interface PromResponse {
  status?: string;
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType?: string; result?: unknown };
}

type Sample = [number, string];

function parseSampleValue(text: string): number {
  // Prometheus writes floats as Go does: "NaN", "+Inf", "-Inf", "1e-07", "0.5".
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** The result conditions see and the measurement value, from a query response's data. */
export function prometheusResult(data: PromResponse['data']): { result: number | Float64Array; value: string } {
  const type = data?.resultType;
  const result = data?.result;
  if (type === 'scalar') {
    const sample = result as Sample;
    return { result: parseSampleValue(String(sample[1])), value: String(sample[1]) };
  }
  if (type === 'vector' || type === 'matrix') {
    const texts: string[] = [];
    for (const series of (result ?? []) as Array<{ value?: Sample; values?: Sample[] }>) {
      if (type === 'vector' && series.value) texts.push(String(series.value[1]));
      if (type === 'matrix') for (const s of series.values ?? []) texts.push(String(s[1]));
    }
    return { result: Float64Array.from(texts, parseSampleValue), value: `[${texts.join(',')}]` };
  }
  throw new Error(`Prometheus metric type not supported: ${type ?? 'none'}`);
}

export function createPrometheusProvider(options: PrometheusProviderOptions = {}): MetricProvider {
  const env = options.env ?? process.env;
  return {
    type: 'prometheus',
    ...instantMeasurement,
    metadata(metric: Metric) {
      const query = metric.provider.prometheus?.query;
      return query ? { [RESOLVED_QUERY_METADATA]: query } : undefined;
    },
    async run(metric: Metric, ctx: MeasureContext): Promise<Measurement> {
      const startedAt = ctx.now();
      const p: PrometheusMetric = metric.provider.prometheus ?? {};
      try {
        const address = p.address || env[PROMETHEUS_ADDRESS_ENV] || '';
        if (address === '') throw new Error(`no Prometheus address: set provider.prometheus.address or ${PROMETHEUS_ADDRESS_ENV}`);
        const timeoutSeconds = p.timeout ?? DEFAULT_PROMETHEUS_TIMEOUT_SECONDS;
        if (timeoutSeconds < 0) throw new Error('timeout must be >= 0');
        const timeoutMs = (timeoutSeconds === 0 ? DEFAULT_PROMETHEUS_TIMEOUT_SECONDS : timeoutSeconds) * 1000;
        const form = new URLSearchParams({ query: p.query ?? '' });
        let path = '/api/v1/query';
        if (p.rangeQuery) {
          path = '/api/v1/query_range';
          const start = evaluateTime({ expression: p.rangeQuery.start ?? 'now()', now: startedAt, args: ctx.args });
          if (!start.ok) throw new Error(`failed to parse rangeQuery.start as time: ${start.message}`);
          const end = evaluateTime({ expression: p.rangeQuery.end ?? 'now()', now: startedAt, args: ctx.args });
          if (!end.ok) throw new Error(`failed to parse rangeQuery.end as time: ${end.message}`);
          const step = Duration.parseDurationString(p.rangeQuery.step || '1m').toSeconds();
          form.set('start', String(start.time.getTime() / 1000));
          form.set('end', String(end.time.getTime() / 1000));
          form.set('step', String(step));
        } else {
          form.set('time', String(startedAt.getTime() / 1000));
        }
        form.set('timeout', `${timeoutMs / 1000}s`);
        const headers = await authHeaders(p.headers, p.authentication, { timeoutMs, ...(p.insecure ? { insecure: true } : {}), signal: ctx.signal });
        const res = await sendHttp({
          url: address.replace(/\/+$/, '') + path,
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: form.toString(),
          timeoutMs,
          ...(p.insecure ? { insecure: true } : {}),
          ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
          signal: ctx.signal,
        });
        let body: PromResponse;
        try {
          body = JSON.parse(res.body.toString('utf8')) as PromResponse;
        } catch {
          throw new Error(`Prometheus answered ${res.status} with a body that is not JSON`);
        }
        if (body.status !== 'success') {
          throw new Error(`${body.errorType ?? `status ${res.status}`}: ${body.error ?? 'query failed'}`);
        }
        const { result, value } = prometheusResult(body.data);
        const metadata = body.warnings?.length ? { warnings: body.warnings.join('; ').slice(0, 1000) } : undefined;
        return evaluateMeasurement(metric, { result, value, ...(metadata ? { metadata } : {}) }, startedAt, ctx.now());
      } catch (e) {
        return errorMeasurement(e instanceof Error ? e.message : String(e), startedAt, ctx.now());
      }
    },
  };
}
