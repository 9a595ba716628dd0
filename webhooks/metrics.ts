// The webhook's Prometheus metrics, in the text exposition format: request counts by endpoint and
// outcome, a latency histogram per endpoint, TLS reloads and policy count. Small on purpose.

const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

export class WebhookMetrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, Histogram>();
  #tlsReloads = 0;
  #tlsReloadFailures = 0;
  #policyCount: () => number = () => 0;

  /** One admission request answered. */
  observeRequest(endpoint: string, outcome: string, seconds: number): void {
    const key = `${endpoint}\u0000${outcome}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let histogram = this.#latency.get(endpoint);
    if (histogram === undefined) {
      histogram = { buckets: LATENCY_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
      this.#latency.set(endpoint, histogram);
    }
    LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
      if (seconds <= bound) histogram.buckets[i]! += 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
  }

  requestCount(endpoint: string, outcome: string): number {
    return this.#requests.get(`${endpoint}\u0000${outcome}`) ?? 0;
  }

  observeTlsReload(ok: boolean): void {
    if (ok) this.#tlsReloads += 1;
    else this.#tlsReloadFailures += 1;
  }

  reportPolicies(count: () => number): void {
    this.#policyCount = count;
  }

  render(): string {
    const lines: string[] = [];
    lines.push('# HELP ramp_webhook_requests_total Admission requests answered, by endpoint and outcome (allowed, denied, patched, bad-request, error).');
    lines.push('# TYPE ramp_webhook_requests_total counter');
    for (const [key, value] of [...this.#requests].sort()) {
      const [endpoint, outcome] = key.split('\u0000');
      lines.push(`ramp_webhook_requests_total{endpoint="${endpoint}",outcome="${outcome}"} ${value}`);
    }
    lines.push('# HELP ramp_webhook_request_duration_seconds Time from a complete request body to the answer, by endpoint.');
    lines.push('# TYPE ramp_webhook_request_duration_seconds histogram');
    for (const [endpoint, h] of [...this.#latency].sort(([a], [b]) => a.localeCompare(b))) {
      LATENCY_BUCKETS_SECONDS.forEach((bound, i) => lines.push(`ramp_webhook_request_duration_seconds_bucket{endpoint="${endpoint}",le="${bound}"} ${h.buckets[i]}`));
      lines.push(`ramp_webhook_request_duration_seconds_bucket{endpoint="${endpoint}",le="+Inf"} ${h.count}`);
      lines.push(`ramp_webhook_request_duration_seconds_sum{endpoint="${endpoint}"} ${h.sum}`);
      lines.push(`ramp_webhook_request_duration_seconds_count{endpoint="${endpoint}"} ${h.count}`);
    }
    lines.push('# HELP ramp_webhook_tls_reloads_total Serving certificate reloads, by result.');
    lines.push('# TYPE ramp_webhook_tls_reloads_total counter');
    lines.push(`ramp_webhook_tls_reloads_total{result="success"} ${this.#tlsReloads}`);
    lines.push(`ramp_webhook_tls_reloads_total{result="failure"} ${this.#tlsReloadFailures}`);
    lines.push('# HELP ramp_webhook_policies RolloutPolicies currently loaded.');
    lines.push('# TYPE ramp_webhook_policies gauge');
    lines.push(`ramp_webhook_policies ${this.#policyCount()}`);
    return lines.join('\n') + '\n';
  }
}
