// Measures the admission handler's latency for a 10-step canary Rollout, in process (admit()) and
// over HTTPS on 127.0.0.1 (one keep-alive connection, as the API server uses):
//   node webhooks/measure-latency.ts [iterations]
// Prints p50/p99 per mode. A measurement for docs/admission.md, not a test.
import { Agent, request } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admit } from '../functions/admission/index.ts';
import type { RolloutPolicy } from '../functions/api/index.ts';
import { createCertificateAuthority, issueCertificate } from '../controller/localcluster/pki.ts';
import { startWebhookServer } from './server.ts';

const iterations = Number(process.argv[2] ?? '2000');

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

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `p50 ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms (n=${sorted.length})`;
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

for (const mode of ['validate', 'mutate'] as const) {
  const samples = measure(() => admit(review, { mode, policies, namespaceLabels: { env: 'prod' } }));
  process.stdout.write(`in process, ${mode}: ${percentiles(samples)}\n`);
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
  const post = (path: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(`${server.url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  for (const path of ['/validate', '/mutate']) {
    for (let i = 0; i < 200; i++) await post(path);
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await post(path);
      samples.push(performance.now() - start);
    }
    process.stdout.write(`over HTTPS (keep-alive), ${path}: ${percentiles(samples)}\n`);
  }
  agent.destroy();
  await server.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
