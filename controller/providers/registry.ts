// The one place metric providers are registered. A new provider is one file and one line here.
import type { Metric } from '../../functions/api/index.ts';
import { providerTypes } from '../../functions/analysis/index.ts';
import { createJobProvider, type JobProviderOptions } from './job.ts';
import { createPrometheusProvider, type PrometheusProviderOptions } from './prometheus.ts';
import type { MetricProvider } from './provider.ts';
import { createWebProvider, type WebProviderOptions } from './web.ts';

export interface ProviderRegistryOptions {
  /** Needed by the Job provider. */
  job?: JobProviderOptions;
  prometheus?: PrometheusProviderOptions;
  web?: WebProviderOptions;
  /** Extra providers (or replacements), by type. */
  extra?: readonly MetricProvider[];
}

export class ProviderRegistry {
  readonly #providers = new Map<string, MetricProvider>();

  constructor(providers: readonly MetricProvider[]) {
    for (const p of providers) this.#providers.set(p.type, p);
  }

  /** The provider for a metric, or an Error message saying why there is none. */
  providerFor(metric: Metric): { ok: true; provider: MetricProvider } | { ok: false; message: string } {
    const types = providerTypes(metric.provider);
    if (types.length !== 1) return { ok: false, message: types.length === 0 ? 'no provider specified' : 'multiple providers specified' };
    const provider = this.#providers.get(types[0]!);
    if (!provider) {
      return { ok: false, message: `metric provider ${types[0]} is not supported by Ramp (supported: ${[...this.#providers.keys()].sort().join(', ')})` };
    }
    return { ok: true, provider };
  }

  types(): string[] {
    return [...this.#providers.keys()].sort();
  }
}

export function createProviderRegistry(options: ProviderRegistryOptions = {}): ProviderRegistry {
  const providers: MetricProvider[] = [createPrometheusProvider(options.prometheus), createWebProvider(options.web)];
  if (options.job) providers.push(createJobProvider(options.job));
  providers.push(...(options.extra ?? []));
  return new ProviderRegistry(providers);
}

export type { MeasureContext, MetricProvider } from './provider.ts';
