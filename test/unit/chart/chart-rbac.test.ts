// The chart's RBAC is least privilege: no wildcards anywhere, the controller gets exactly the
// rules docs/controller.md lists (which an integration test shows are enough), Secrets are only
// read by name, the webhook only reads, and each binding names the ServiceAccount its pods run as.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { byKind, one, podSpec, render, repoRoot, VARIANTS, type Manifest } from './helm.ts';

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** group/resource:verb, one string per permission, sorted; resourceNames ignored. */
function permissions(rules: readonly PolicyRule[]): string[] {
  const out = new Set<string>();
  for (const r of rules) for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) out.add(`${g || 'core'}/${res}:${v}`);
  return [...out].sort();
}

/** The `rules:` block of the RBAC section of docs/controller.md (the controller's contract). */
function documentedControllerRules(): PolicyRule[] {
  const doc = readFileSync(join(repoRoot, 'docs', 'controller.md'), 'utf8');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf('## RBAC')))?.[1];
  assert.ok(yaml, 'docs/controller.md has a yaml block in its RBAC section');
  return (parse(yaml) as { rules: PolicyRule[] }).rules;
}

function roles(manifests: readonly Manifest[], component: string): Manifest[] {
  return manifests.filter((m) => (m.kind === 'Role' || m.kind === 'ClusterRole') && m.metadata.labels?.['app.kubernetes.io/component'] === component);
}

test('RBAC › no wildcard verb, resource or API group in any Role or ClusterRole of any variant', () => {
  for (const [variant, values] of Object.entries(VARIANTS)) {
    for (const role of render(values).filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole')) {
      const rules = role['rules'] as PolicyRule[];
      assert.ok(rules.length > 0, `${variant}: ${role.kind} ${role.metadata.name} has rules`);
      for (const rule of rules) {
        const what = `${variant}: ${role.kind} ${role.metadata.name}: ${JSON.stringify(rule)}`;
        for (const list of [rule.verbs, rule.resources, rule.apiGroups]) assert.ok(!list.some((x) => x.includes('*')), what);
        assert.equal((rule as { nonResourceURLs?: unknown }).nonResourceURLs, undefined, what);
        assert.ok(!rule.verbs.some((v) => ['escalate', 'bind', 'impersonate', 'deletecollection'].includes(v)), what);
        assert.ok(!rule.resources.includes('configmaps'), `${what}: no ConfigMap access`);
        if (rule.resources.includes('secrets')) {
          assert.deepEqual([rule.resources, rule.verbs], [['secrets'], ['get']], `${what}: Secrets are read by name only (never listed or watched)`);
          assert.equal(role.metadata.labels?.['app.kubernetes.io/component'], 'controller', `${what}: only the controller reads Secrets (AnalysisRun secretKeyRef arguments)`);
        }
        if (rule.verbs.includes('update')) assert.deepEqual(rule.resources, ['leases'], `${what}: update only on the Lease (every other write is a patch)`);
      }
    }
  }
});

test('RBAC › the controller gets exactly the rules docs/controller.md lists, cluster-wide or namespaced', () => {
  for (const namespaced of [false, true]) {
    // A Role cannot grant a cluster-scoped kind: a namespaced install leaves ClusterAnalysisTemplates out.
    const documented = permissions(documentedControllerRules()).filter((p) => !namespaced || !p.startsWith('argoproj.io/clusteranalysistemplates:'));
    for (const mode of ['deployment', 'cronjob']) {
      const manifests = render({ controller: { namespaced, mode } });
      const controllerRoles = roles(manifests, 'controller');
      assert.deepEqual(
        controllerRoles.map((r) => r.kind).sort(),
        namespaced ? ['Role', 'Role'] : ['ClusterRole', 'Role'],
        `namespaced=${namespaced}: ${namespaced ? 'a Role' : 'a ClusterRole'} for the work, a Role for the Lease`,
      );
      assert.deepEqual(permissions(controllerRoles.flatMap((r) => r['rules'] as PolicyRule[])), documented, `namespaced=${namespaced} mode=${mode}`);
      const lease = one(manifests, 'Role', 'ramp-controller-leader-election');
      assert.deepEqual(permissions(lease['rules']), ['coordination.k8s.io/leases:create', 'coordination.k8s.io/leases:get', 'coordination.k8s.io/leases:update']);
      assert.ok((lease['rules'] as PolicyRule[]).every((r) => r.verbs.includes('create') || r.resourceNames?.length === 1), 'get/update limited to the one Lease');
    }
  }
});

test('RBAC › the webhook only reads: RolloutPolicies and Namespaces (cluster-wide), the managing Rollout (get)', () => {
  const expected = ['argoproj.io/rollouts:get', 'core/namespaces:get', 'core/namespaces:list', 'core/namespaces:watch', 'ramp.dev/rolloutpolicies:list', 'ramp.dev/rolloutpolicies:watch'];
  const cluster = roles(render(), 'webhook');
  assert.deepEqual(cluster.map((r) => r.kind), ['ClusterRole']);
  assert.deepEqual(permissions(cluster[0]!['rules']), expected);
  const namespaced = roles(render({ controller: { namespaced: true, watchNamespace: 'shop' } }), 'webhook');
  assert.deepEqual(namespaced.map((r) => `${r.kind}/${r.metadata.namespace ?? ''}`).sort(), ['ClusterRole/', 'Role/shop']);
  assert.deepEqual(permissions(namespaced.flatMap((r) => r['rules'])), expected);
  assert.deepEqual(permissions(one(namespaced, 'Role')['rules']), ['argoproj.io/rollouts:get'], 'Rollouts are read in the watched namespace only');
});

test('RBAC › every binding grants an existing role to the ServiceAccount the pods run as', () => {
  for (const [variant, values] of Object.entries(VARIANTS)) {
    const manifests = render(values, { namespace: 'shop' });
    const accounts = new Set(byKind(manifests, 'ServiceAccount').map((sa) => sa.metadata.name));
    const podAccounts = new Set(manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'CronJob').map((m) => podSpec(m)['serviceAccountName'] as string));
    for (const account of podAccounts) assert.ok(accounts.has(account), `${variant}: ServiceAccount ${account} is rendered`);
    for (const binding of manifests.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding')) {
      const what = `${variant}: ${binding.kind} ${binding.metadata.name}`;
      const ref = binding['roleRef'] as { kind: string; name: string };
      const role = manifests.find((m) => m.kind === ref.kind && m.metadata.name === ref.name && (ref.kind === 'ClusterRole' || m.metadata.namespace === binding.metadata.namespace));
      assert.ok(role, `${what} refers to ${ref.kind} ${ref.name}, which the chart renders in the binding's namespace`);
      for (const subject of binding['subjects'] as Array<{ kind: string; name: string; namespace: string }>) {
        assert.equal(subject.kind, 'ServiceAccount', what);
        assert.equal(subject.namespace, 'shop', what);
        assert.ok(podAccounts.has(subject.name), `${what}: ${subject.name} is a pod's ServiceAccount`);
        assert.equal(subject.name.endsWith('-webhook'), role.metadata.labels?.['app.kubernetes.io/component'] === 'webhook', `${what}: controller rules go to the controller, webhook rules to the webhook`);
      }
    }
  }
});

test('RBAC › existing ServiceAccounts can be used instead of the chart\'s', () => {
  const manifests = render({ controller: { serviceAccount: { create: false, name: 'ops-ramp' } }, webhook: { serviceAccount: { create: false, name: 'ops-hook' } } });
  assert.equal(byKind(manifests, 'ServiceAccount').length, 0);
  assert.equal(podSpec(one(manifests, 'Deployment', 'ramp-controller'))['serviceAccountName'], 'ops-ramp');
  assert.equal(podSpec(one(manifests, 'Deployment', 'ramp-webhook'))['serviceAccountName'], 'ops-hook');
  assert.deepEqual(one(manifests, 'ClusterRoleBinding', 'ramp-controller')['subjects'], [{ kind: 'ServiceAccount', name: 'ops-ramp', namespace: 'ramp-system' }]);
});
