import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout, aPodTemplate } from '../../fixtures/index.ts';
import { ActionRefused, isDerivative, templateForUndo, undo, type PodTemplateView, type ReplicaSetView } from '../../../functions/cli/index.ts';
import type { Rollout } from '../../../functions/api/index.ts';

const UID = 'rollout-uid';

function rollout(image = 'app:3'): Rollout {
  const r = aRollout().withImage(image).build();
  r.metadata!.uid = UID;
  return r;
}

/** A ReplicaSet as the API server returns it: hash label, revision, and defaulted pod fields. */
function replicaSet(revision: number | string | undefined, image: string, extra: Partial<{ owner: string; ephemeral: string; labels: Record<string, string> }> = {}): ReplicaSetView {
  const hash = `h${String(revision)}`;
  const template = aPodTemplate({ app: 'demo', 'rollouts-pod-template-hash': hash, ...extra.labels }, image) as PodTemplateView;
  const spec = template.spec as Record<string, unknown>;
  spec['restartPolicy'] = 'Always';
  spec['dnsPolicy'] = 'ClusterFirst';
  (spec['containers'] as Array<Record<string, unknown>>)[0]!['terminationMessagePath'] = '/dev/termination-log';
  return {
    metadata: {
      name: `demo-${hash}`,
      uid: `rs-${String(revision)}`,
      labels: { app: 'demo', 'rollouts-pod-template-hash': hash },
      annotations: {
        ...(revision === undefined ? {} : { 'rollout.argoproj.io/revision': String(revision) }),
        ...(extra.ephemeral ? { 'rollout.argoproj.io/ephemeral-metadata': extra.ephemeral } : {}),
      },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'demo', uid: extra.owner ?? UID, controller: true }],
    },
    spec: { replicas: 0, template },
  };
}

const history = (): ReplicaSetView[] => [replicaSet(1, 'app:1'), replicaSet(3, 'app:3'), replicaSet(2, 'app:2')];

function replacedImage(plan: ReturnType<typeof undo>): string | undefined {
  const write = plan.writes[0];
  if (write?.type !== 'json') return undefined;
  return (write.operations[0]?.value as { spec: { containers: Array<{ image: string }> } }).spec.containers[0]?.image;
}

test('undo › without --to-revision goes back to the revision before the newest', () => {
  const plan = undo(rollout(), history());
  assert.equal(plan.writes.length, 1);
  const write = plan.writes[0]!;
  assert.ok(write.type === 'json');
  assert.deepEqual(write.target, { kind: 'Rollout', name: 'demo' });
  assert.equal(write.operations.length, 1);
  assert.equal(write.operations[0]!.op, 'replace');
  assert.equal(write.operations[0]!.path, '/spec/template');
  assert.equal(replacedImage(plan), 'app:2');
  assert.match(plan.message, /^rollout 'demo' undo: pod template of revision 2 \(ReplicaSet demo-h2\) restored$/);
});

test('undo › --to-revision N restores exactly that one, without the hash label, defaults kept', () => {
  const plan = undo(rollout(), history(), { toRevision: 1 });
  const write = plan.writes[0]!;
  assert.ok(write.type === 'json');
  assert.deepEqual(write.operations[0]!.value, {
    metadata: { labels: { app: 'demo' } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'app:1',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
          terminationMessagePath: '/dev/termination-log',
        },
      ],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
    },
  });
});

test('undo › revision not in the history is refused, listing the revisions there are', () => {
  assert.throws(
    () => undo(rollout(), history(), { toRevision: 7 }),
    (e: unknown) => e instanceof ActionRefused && e.message === "revision 7 not found in the history of rollout 'demo' (revisions: 1, 2, 3)",
  );
});

test('undo › a single revision has nothing before it', () => {
  assert.throws(
    () => undo(rollout(), [replicaSet(1, 'app:3')]),
    (e: unknown) => e instanceof ActionRefused && e.message === "rollout 'demo' has no earlier revision to go back to (revisions: 1)",
  );
});

test('undo › ReplicaSets of another owner are not history', () => {
  assert.throws(() => undo(rollout(), [replicaSet(3, 'app:3'), replicaSet(2, 'app:2', { owner: 'someone-else' })]), /no earlier revision/);
});

test('undo › an RS without the revision annotation counts as revision 0; a malformed one is skipped', () => {
  const plan = undo(rollout(), [replicaSet(3, 'app:3'), replicaSet(undefined, 'app:0'), replicaSet('x', 'app:x')]);
  assert.equal(replacedImage(plan), 'app:0');
});

test('undo › the current template already matches: skipped, nothing written', () => {
  const plan = undo(rollout('app:2'), history(), { toRevision: 2 });
  assert.deepEqual(plan.writes, []);
  assert.equal(plan.message, 'skipped rollback (current template already matches revision 2)');
});

test('undo › injected canary/stable metadata is not copied back into the spec', () => {
  const rs = replicaSet(2, 'app:2', { labels: { role: 'canary' }, ephemeral: JSON.stringify({ labels: { role: 'canary' } }) });
  rs.spec!.template!.metadata!.annotations = { 'injected/at': 'x', 'mine': 'kept' };
  rs.metadata!.annotations!['rollout.argoproj.io/ephemeral-metadata'] = JSON.stringify({ labels: { role: 'canary' }, annotations: { 'injected/at': 'x' } });
  assert.deepEqual(templateForUndo(rs).metadata, { labels: { app: 'demo' }, annotations: { mine: 'kept' } });
});

test('undo › workloadRef Deployment: patched at /spec/template of the Deployment', () => {
  const r = rollout();
  r.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
  delete r.spec.template;
  const plan = undo(r, history());
  const write = plan.writes[0]!;
  assert.ok(write.type === 'json');
  assert.deepEqual(write.target, { kind: 'Deployment', name: 'web' });
  assert.equal(write.operations[0]!.path, '/spec/template');
  assert.match(plan.message, /restored into Deployment 'web'$/);
});

test('undo › workloadRef PodTemplate: patched at /template', () => {
  const r = rollout();
  r.spec.workloadRef = { apiVersion: 'v1', kind: 'PodTemplate', name: 'tpl' };
  const write = undo(r, history()).writes[0]!;
  assert.ok(write.type === 'json');
  assert.deepEqual(write.target, { kind: 'PodTemplate', name: 'tpl' });
  assert.equal(write.operations[0]!.path, '/template');
});

test('undo › workloadRef whose template already matches: skipped', () => {
  const r = rollout();
  r.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
  const plan = undo(r, history(), { workloadTemplate: aPodTemplate({ app: 'demo' }, 'app:2') as never });
  assert.deepEqual(plan.writes, []);
});

const derivative: Array<[string, unknown, unknown, boolean]> = [
  ['unset wants nothing', undefined, { a: 1 }, true],
  ['empty string wants nothing', '', 'x', true],
  ['extra fields on the actual side are fine', { a: 1 }, { a: 1, b: 2 }, true],
  ['a different value is not', { a: 1 }, { a: 2 }, false],
  ['a missing field is not', { a: 1 }, {}, false],
  ['arrays element by element', [{ a: 1 }], [{ a: 1, b: 2 }], true],
  ['arrays of different length', [{ a: 1 }], [{ a: 1 }, { a: 2 }], false],
  ['false must be matched', { x: false }, {}, false],
];
for (const [name, wanted, actual, expected] of derivative) {
  test(`isDerivative › ${name}`, () => assert.equal(isDerivative(wanted, actual), expected));
}
