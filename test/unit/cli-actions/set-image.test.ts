import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../fixtures/index.ts';
import { ActionRefused, parseImageAssignments, setImage } from '../../../functions/cli/index.ts';
import type { Rollout } from '../../../functions/api/index.ts';

function multiContainer(): Rollout {
  const rollout = aRollout().build();
  rollout.metadata!.resourceVersion = '42';
  rollout.spec.template!.spec = {
    initContainers: [{ name: 'migrate', image: 'tools:1' }],
    containers: [
      { name: 'app', image: 'app:1' },
      { name: 'proxy', image: 'proxy:1' },
    ],
    ephemeralContainers: [{ name: 'debug', image: 'busybox:1' }],
  } as never;
  return rollout;
}

type Spec = { initContainers: Array<{ image: string }>; containers: Array<{ image: string }>; ephemeralContainers: Array<{ image: string }> };
function imagesOf(object: Record<string, unknown>): string[] {
  const spec = (object as unknown as { spec: { template: { spec: Spec } } }).spec.template.spec;
  return [...spec.initContainers, ...spec.containers, ...spec.ephemeralContainers].map((c) => c.image);
}

test('parseImageAssignments › CONTAINER=IMAGE pairs, = allowed in the image digest part', () => {
  assert.deepEqual(parseImageAssignments(['app=reg.example/app:2', '*=x@sha256:ab=']), [
    { container: 'app', image: 'reg.example/app:2' },
    { container: '*', image: 'x@sha256:ab=' },
  ]);
});

for (const bad of ['app', '=img', 'app=', 'app=a b']) {
  test(`parseImageAssignments › rejects ${JSON.stringify(bad)}`, () => {
    assert.throws(() => parseImageAssignments([bad]), /want CONTAINER=IMAGE/);
  });
}

const cases: Array<[string, string[], string[]]> = [
  ['one container', ['app=app:2'], ['tools:1', 'app:2', 'proxy:1', 'busybox:1']],
  ['an init container', ['migrate=tools:2'], ['tools:2', 'app:1', 'proxy:1', 'busybox:1']],
  ['an ephemeral container', ['debug=busybox:2'], ['tools:1', 'app:1', 'proxy:1', 'busybox:2']],
  ['two at once', ['app=app:2', 'proxy=proxy:2'], ['tools:1', 'app:2', 'proxy:2', 'busybox:1']],
  ['* sets every container', ['*=all:9'], ['all:9', 'all:9', 'all:9', 'all:9']],
];
for (const [name, args, images] of cases) {
  test(`set image › ${name}`, () => {
    const rollout = multiContainer();
    const plan = setImage(rollout, parseImageAssignments(args));
    assert.equal(plan.writes.length, 1);
    const write = plan.writes[0]!;
    assert.equal(write.type, 'update');
    if (write.type !== 'update') return;
    assert.deepEqual(write.target, { kind: 'Rollout', name: 'demo' });
    assert.deepEqual(imagesOf(write.object), images);
    assert.equal((write.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion, '42', 'written back with the read resourceVersion');
    assert.deepEqual(imagesOf(rollout as unknown as Record<string, unknown>), ['tools:1', 'app:1', 'proxy:1', 'busybox:1'], 'input untouched');
    assert.match(plan.message, /^rollout 'demo' image updated \(/);
  });
}

test('set image › unknown container is refused, naming the containers there are', () => {
  assert.throws(
    () => setImage(multiContainer(), parseImageAssignments(['web=x:1'])),
    (e: unknown) => e instanceof ActionRefused && e.message === `rollout 'demo' has no container named "web" (containers: migrate (initContainers), app, proxy, debug (ephemeralContainers))`,
  );
});

test('set image › one unknown among known ones refuses the whole change', () => {
  assert.throws(() => setImage(multiContainer(), parseImageAssignments(['app=app:2', 'web=x:1'])), ActionRefused);
});

test('set image › same image: nothing to write', () => {
  const plan = setImage(multiContainer(), parseImageAssignments(['app=app:1']));
  assert.deepEqual(plan.writes, []);
  assert.match(plan.message, /already runs app:1; nothing to change/);
});

test('set image › workloadRef Deployment: the Deployment is updated, not the Rollout', () => {
  const rollout = aRollout().withSpec({ workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } }).build();
  delete rollout.spec.template;
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', resourceVersion: '7' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'app:1' }] } } } };
  const plan = setImage(rollout, parseImageAssignments(['app=app:2']), deployment);
  assert.equal(plan.writes.length, 1);
  const write = plan.writes[0]!;
  assert.ok(write.type === 'update');
  assert.deepEqual(write.target, { kind: 'Deployment', name: 'web' });
  assert.equal((write.object as typeof deployment).spec.template.spec.containers[0]!.image, 'app:2');
  assert.equal(deployment.spec.template.spec.containers[0]!.image, 'app:1');
  assert.match(plan.message, /^deployment 'web' image updated/);
});

test('set image › workloadRef of another kind is refused', () => {
  const rollout = aRollout().withSpec({ workloadRef: { kind: 'PodTemplate', name: 'tpl' } }).build();
  assert.throws(() => setImage(rollout, parseImageAssignments(['app=x'])), (e: unknown) => e instanceof ActionRefused && /only changes a referenced Deployment/.test(e.message));
});
