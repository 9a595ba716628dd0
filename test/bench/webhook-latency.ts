// Benchmark: the admission handler's latency for a 10-step canary Rollout, in process (admit())
// and over HTTPS on 127.0.0.1 (one keep-alive connection, as the API server uses). Each figure is
// reported with a baseline measured in the same run, and as a ratio to it:
//   in process: a JSON round trip of the same AdmissionReview (the least any handler must do);
//   over HTTPS: GET /healthz on the same server and connection (TLS + HTTP + express, no admission).
//   npm run bench            (all benchmarks)   node test/bench/webhook-latency.ts [iterations]
import { Agent, request } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admit } from '../../functions/admission/index.ts';
import type { RolloutPolicy } from '../../functions/api/index.ts';
import { createCertificateAuthority, issueCertificate } from '../../controller/localcluster/pki.ts';
import { startWebhookServer } from '../../webhooks/server.ts';

const iterations = Number(process.argv[2] ?? process.env.RAMP_BENCH_ITERATIONS ?? '2000');

const steps = [
  { setWeight: 10 }, { pause: { duration: '1m' } }, { setWeight: 25 }, { analysis: { templates: [{ templateName: 'success-rate' }] } },
  { setWeight: 40 }, { pause: { duration: '5m' } }, { setWeight: 60 }, { pause: {} }, { setWeight: 80 }, { pause: { duration: '10m' } },
];
const rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas: 10,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'registry.example/web:1.2.3', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    },
    strategy: { canary: { canaryService: 'web-canary', stableService: 'web-stable', steps, analysis: { templates: [{ templateName: 'errors' }] } } },
  },
};
const review = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid: 'bench', kind: { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout' }, operation: 'CREATE', namespace: 'shop', name: 'web', object: rollout },
};
const policies = [
  {
    apiVersion: 'ramp.dev/v1alpha1',
    kind: 'RolloutPolicy',
    metadata: { name: 'prod' },
    spec: {
      match: { namespaceSelector: { matchLabels: { env: 'prod' } } },
      defaults: { rollout: { progressDeadlineSeconds: 900 } },
      rules: [
        { name: 'analysis', message: 'm', require: { runsAnalysis: true } },
        { name: 'steps', message: 'm', enforcementAction: 'warn', require: { maxWeightIncrease: 25 } },
      ],
    },
  },
] as unknown as RolloutPolicy[];

interface Summary { p50: number; p99: number; n: number }

function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), n: sorted.length };
}

function report(label: string, measured: Summary, baseline: Summary, baselineLabel: string): void {
  const ms = (v: number): string => `${v.toFixed(3)} ms`;
  process.stdout.write(
    `${label}: p50 ${ms(measured.p50)} (${(measured.p50 / baseline.p50).toFixed(1)}x ${baselineLabel}), ` +
      `p99 ${ms(measured.p99)} (${(measured.p99 / baseline.p99).toFixed(1)}x), n=${measured.n}; ` +
      `baseline p50 ${ms(baseline.p50)}, p99 ${ms(baseline.p99)}\n`,
  );
}

function measure(fn: () => void): number[] {
  for (let i = 0; i < 200; i++) fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

const jsonBaseline = summarize(measure(() => JSON.stringify(JSON.parse(JSON.stringify(review)))));
for (const mode of ['validate', 'mutate'] as const) {
  const samples = measure(() => admit(review, { mode, policies, namespaceLabels: { env: 'prod' } }));
  report(`in process, ${mode}`, summarize(samples), jsonBaseline, 'JSON round trip');
}

const dir = mkdtempSync(join(tmpdir(), 'ramp-latency-'));
try {
  const ca = await createCertificateAuthority('ramp-latency-ca');
  const leaf = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', ipAddresses: ['127.0.0.1'] });
  writeFileSync(join(dir, 'tls.crt'), leaf.certPem);
  writeFileSync(join(dir, 'tls.key'), leaf.keyPem);
  const server = await startWebhookServer({
    port: 0,
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
    policies: () => policies,
    namespaceLabels: async () => ({ env: 'prod' }),
    lookupRollout: async () => ({ state: 'not-found' }),
    readiness: () => ({ ready: true, waitingFor: [] }),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.certPem });
  const body = JSON.stringify(review);
  const call = (method: 'GET' | 'POST', path: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(`${server.url}${path}`, { method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(method === 'POST' ? body : undefined);
    });
  const timed = async (method: 'GET' | 'POST', path: string): Promise<Summary> => {
    for (let i = 0; i < 200; i++) await call(method, path);
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await call(method, path);
      samples.push(performance.now() - start);
    }
    return summarize(samples);
  };
  const healthBaseline = await timed('GET', '/healthz');
  for (const path of ['/validate', '/mutate']) {
    report(`over HTTPS (keep-alive), POST ${path}`, await timed('POST', path), healthBaseline, 'GET /healthz');
  }
  agent.destroy();
  await server.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
