// values.schema.json refuses bad values before anything renders, and says where; every value in
// values.yaml is described by the schema and documented in docs/install.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { chartDir, render, renderError, repoRoot } from './helm.ts';

const refused: Array<{ what: string; values: object; path: RegExp }> = [
  { what: 'an unknown top-level key (a typo)', values: { contoller: { replicas: 1 } }, path: /additional properties 'contoller' not allowed/ },
  { what: 'an unknown nested key', values: { webhook: { failurePolicyy: 'Ignore' } }, path: /\/webhook.*failurePolicyy/ },
  { what: 'an unknown controller mode', values: { controller: { mode: 'daemonset' } }, path: /\/controller\/mode/ },
  { what: 'a failurePolicy Kubernetes does not have', values: { webhook: { failurePolicy: 'Warn' } }, path: /\/webhook\/failurePolicy/ },
  { what: 'a webhook timeout above Kubernetes\' 30 s maximum', values: { webhook: { timeoutSeconds: 31 } }, path: /\/webhook\/timeoutSeconds/ },
  { what: 'a webhook timeout of 0', values: { webhook: { managedGuard: { timeoutSeconds: 0 } } }, path: /\/webhook\/managedGuard\/timeoutSeconds/ },
  { what: 'a negative replica count', values: { controller: { replicas: -1 } }, path: /\/controller\/replicas/ },
  { what: 'a lease duration without a unit', values: { controller: { leaderElection: { leaseDuration: '15' } } }, path: /\/controller\/leaderElection\/leaseDuration/ },
  { what: 'a lease duration given as a number', values: { controller: { leaderElection: { leaseDuration: 15 } } }, path: /\/controller\/leaderElection\/leaseDuration/ },
  { what: 'zero rollout threads', values: { controller: { rolloutThreads: 0 } }, path: /\/controller\/rolloutThreads/ },
  { what: 'an unknown log level', values: { controller: { logLevel: 'verbose' } }, path: /\/controller\/logLevel/ },
  { what: 'an instance id that is not a label value', values: { controller: { instanceId: 'a b' } }, path: /\/controller\/instanceId/ },
  { what: 'an overlapping CronJob', values: { controller: { cronjob: { concurrencyPolicy: 'Allow' } } }, path: /\/controller\/cronjob\/concurrencyPolicy/ },
  { what: 'an unknown TLS mode', values: { webhook: { tls: { mode: 'vault' } } }, path: /\/webhook\/tls\/mode/ },
  { what: 'an own Secret without its CA', values: { webhook: { tls: { mode: 'secret', secret: { name: 'corp-tls' } } } }, path: /\/webhook\/tls\/secret/ },
  { what: 'an issuerRef without a name', values: { webhook: { tls: { mode: 'certManager', certManager: { issuerRef: { kind: 'ClusterIssuer' } } } } }, path: /\/webhook\/tls\/certManager\/issuerRef/ },
  { what: 'a privileged webhook port', values: { webhook: { port: 443 } }, path: /\/webhook\/port/ },
  { what: 'an image digest that is not sha256', values: { image: { digest: 'latest' } }, path: /\/image\/digest/ },
];

test('values.schema.json › refuses bad values and names the offending path', async (t) => {
  for (const c of refused) {
    await t.test(c.what, () => {
      const message = renderError(c.values);
      assert.match(message, /values don't meet the specifications of the schema/, message);
      assert.match(message, c.path, message);
    });
  }
});

test('values.schema.json › accepts the values documented as examples', () => {
  render({
    controller: { mode: 'cronjob', namespaced: true, watchNamespace: 'shop', instanceId: 'shard-a', qps: 0, leaderElection: { leaseDuration: '1m30s' }, cronjob: { schedule: '*/2 * * * *', timeZone: 'Europe/Paris' } },
    webhook: { failurePolicy: 'Ignore', timeoutSeconds: 30, podDisruptionBudget: { minAvailable: '50%' }, tls: { mode: 'certManager', certManager: { issuerRef: { kind: 'ClusterIssuer', name: 'corp', group: 'cert-manager.io' } } } },
    networkPolicy: { enabled: true, apiServerCIDRs: ['10.0.0.1/32'], controllerExtraEgress: [{ ports: [{ port: 9090, protocol: 'TCP' }] }] },
    commonLabels: { team: 'platform' },
  });
});

/** Dotted paths of the leaves of values.yaml (objects and lists that are empty by default count as leaves). */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

/** Paths under which values.yaml holds Kubernetes objects passed through as they are, not chart options. */
const PASS_THROUGH = [/\.resources\./, /\.(livenessProbe|readinessProbe)\./, /^podSecurityContext\./, /^containerSecurityContext\./];

test('values.yaml › every value is in the schema and in the values table of docs/install.md', () => {
  const values = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as { properties: Record<string, any> };
  const install = readFileSync(join(repoRoot, 'docs', 'install.md'), 'utf8');
  const paths = leafPaths(values).map((p) => PASS_THROUGH.reduce((acc, re) => (re.test(acc) ? acc.slice(0, acc.search(re) + acc.match(re)![0].length - 1) : acc), p));
  for (const path of [...new Set(paths)]) {
    let node: any = schema;
    for (const key of path.split('.')) {
      node = node?.properties?.[key];
      assert.ok(node, `values.yaml's ${path} is described in values.schema.json`);
    }
    assert.equal(typeof node.description === 'string' || typeof node.type === 'string', true, `${path} has a type or description in the schema`);
    assert.ok(install.includes(`\`${path}\``), `docs/install.md's values table documents \`${path}\``);
  }
});
