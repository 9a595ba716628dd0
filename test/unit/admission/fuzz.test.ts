// A few thousand malformed and random AdmissionReview bodies: no exception, no 5xx, always a
// well-formed answer (a Status with a message, or a review echoing the uid).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admit, admitManaged, managedGuardLookup } from '../../../functions/admission/index.ts';
import { aRollout, anExperiment } from '../../fixtures/index.ts';
import { aPolicy } from '../policy/policy-fixtures.ts';
import { aReview } from './reviews.ts';

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCALARS: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 40, '', 'x', '25%', '-5s', 'Rollout', [], {}, NaN];

function randomValue(random: () => number, depth: number): unknown {
  const r = random();
  if (depth <= 0 || r < 0.5) return SCALARS[Math.floor(random() * SCALARS.length)];
  if (r < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth - 1));
  const keys = ['spec', 'strategy', 'canary', 'steps', 'setWeight', 'blueGreen', 'metadata', 'annotations', 'selector', 'kind', 'uid', 'object', 'x'];
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 4); i > 0; i--) object[keys[Math.floor(random() * keys.length)]!] = randomValue(random, depth - 1);
  return object;
}

/** Replaces a random node of `value` (deep copy) with random content. */
function mutate(value: unknown, random: () => number): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const nodes: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach((child, i) => (nodes.push([node, i]), walk(child)));
    else if (typeof node === 'object' && node !== null) for (const [k, child] of Object.entries(node)) (nodes.push([node as Record<string, unknown>, k]), walk(child));
  };
  walk(copy);
  const [parent, key] = nodes[Math.floor(random() * nodes.length)] ?? [copy, 'x'];
  const r = random();
  if (r < 0.3 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
  else (parent as Record<string | number, unknown>)[key] = randomValue(random, 3);
  return copy;
}

function assertWellFormed(answer: ReturnType<typeof admit>, body: unknown): void {
  assert.ok(answer.httpStatus === 200 || answer.httpStatus === 400, `status ${answer.httpStatus} for ${JSON.stringify(body)?.slice(0, 300)}: ${JSON.stringify(answer.body)}`);
  const text = JSON.stringify(answer.body);
  assert.ok(text.length > 0);
  if (answer.httpStatus === 400) {
    const status = answer.body as { kind: string; message: string };
    assert.equal(status.kind, 'Status');
    assert.ok(status.message.length > 0);
  } else {
    const response = (answer.body as { response: { uid: string; allowed: boolean; patch?: string } }).response;
    assert.equal(typeof response.uid, 'string');
    assert.equal(typeof response.allowed, 'boolean');
    if (response.patch !== undefined) assert.ok(Array.isArray(JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8'))));
  }
}

describe('admission fuzz', () => {
  const policies = [
    aPolicy('p', {
      match: { namespaceSelector: { matchLabels: { env: 'prod' } } },
      defaults: { rollout: { progressDeadlineSeconds: 900, strategy: { canary: { analysis: { templates: [{ templateName: 't' }] } } } } },
      rules: [
        { name: 'a', message: 'm', require: { runsAnalysis: true } },
        { name: 'b', message: 'm', enforcementAction: 'warn', require: { maxWeightIncrease: 25 } },
        { name: 'c', message: 'm', require: { each: 'spec.template.spec.containers', require: { field: 'image', startsWith: 'registry.example/' } } },
      ],
    }),
  ];
  const seeds = [
    aReview({ object: aRollout().build() }),
    aReview({ operation: 'UPDATE', object: aRollout().withImage('x:2').build(), oldObject: aRollout().build() }),
    aReview({ object: aRollout().withBlueGreen('a', { previewService: 'b' }).build() }),
    aReview({ kind: { group: 'argoproj.io', version: 'v1alpha1', kind: 'Experiment' }, object: anExperiment().withTemplate('a').build() }),
    aReview({ kind: { group: 'ramp.dev', version: 'v1alpha1', kind: 'RolloutPolicy' }, object: policies[0] }),
    aReview({
      kind: { group: '', version: 'v1', kind: 'Service' },
      operation: 'UPDATE',
      object: { metadata: { name: 's' }, spec: { selector: { app: 'a' } } },
      oldObject: { metadata: { name: 's', annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'demo' } }, spec: { selector: { app: 'a', 'rollouts-pod-template-hash': 'h' } } },
    }),
  ];

  it('3000 mutated reviews: never throws, never 5xx, always well-formed', () => {
    const random = rng(20260101);
    for (let i = 0; i < 3000; i++) {
      let body: unknown = seeds[i % seeds.length];
      for (let m = 1 + Math.floor(random() * 3); m > 0; m--) body = mutate(body, random);
      for (const mode of ['validate', 'mutate'] as const) {
        assertWellFormed(admit(body, { mode, policies, ...(random() < 0.5 ? { namespaceLabels: { env: 'prod' } } : {}) }), body);
      }
      const ref = managedGuardLookup(body);
      assertWellFormed(admitManaged(body, ref === undefined ? undefined : { state: 'unknown', reason: 'fuzz' }), body);
    }
  });

  it('1000 random JSON values: never throws, always a 400 Status or a review', () => {
    const random = rng(7);
    for (let i = 0; i < 1000; i++) {
      const body = randomValue(random, 5);
      assertWellFormed(admit(body, { mode: 'validate', policies }), body);
      assertWellFormed(admit(body, { mode: 'mutate', policies }), body);
    }
  });
});
