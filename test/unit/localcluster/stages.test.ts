import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { kwokConfigYaml, ourStages, podOutcomeAnnotation, podOutcomes } from '../../../controller/localcluster/stages.ts';
import { podCidr } from '../../../controller/localcluster/flags.ts';

interface Expr {
  key: string;
  operator: string;
  values?: string[];
}

// Evaluates the few jq key forms our stages use, with KWOK's semantics for missing values
// (In/Exists: no match; NotIn/DoesNotExist: match). Unknown forms fail the test.
function values(obj: Record<string, any>, key: string): unknown[] {
  const annotation = /^\.metadata\.annotations\["(.+)"\]$/.exec(key);
  if (annotation) return [obj['metadata']?.annotations?.[annotation[1] as string]];
  switch (key) {
    case '.metadata.deletionTimestamp':
      return [obj['metadata']?.deletionTimestamp];
    case '.status.phase':
      return [obj['status']?.phase];
    case '.metadata.ownerReferences.[].kind':
      return (obj['metadata']?.ownerReferences ?? []).map((o: { kind: string }) => o.kind);
    case '.status.conditions.[] | select( .type == "Ready" ) | .status':
      return (obj['status']?.conditions ?? []).filter((c: { type: string }) => c.type === 'Ready').map((c: { status: string }) => c.status);
    default:
      throw new Error(`test evaluator does not know key ${key}`);
  }
}

function matches(obj: Record<string, any>, exprs: Expr[]): boolean {
  return exprs.every((e) => {
    const vs = values(obj, e.key).filter((v) => v !== undefined && v !== null);
    switch (e.operator) {
      case 'In':
        return vs.some((v) => e.values?.includes(String(v)));
      case 'NotIn':
        return !vs.some((v) => e.values?.includes(String(v)));
      case 'Exists':
        return vs.length > 0;
      case 'DoesNotExist':
        return vs.length === 0;
      default:
        throw new Error(`unknown operator ${e.operator}`);
    }
  });
}

function stagesFor(kind: string, obj: Record<string, any>): string[] {
  return ourStages()
    .filter((s) => s.spec.resourceRef.kind === kind && matches(obj, s.spec.selector.matchExpressions))
    .map((s) => s.metadata.name);
}

const jobOwner = { ownerReferences: [{ kind: 'Job', name: 'j' }] };
const rsOwner = { ownerReferences: [{ kind: 'ReplicaSet', name: 'r' }] };
const outcome = (v: string) => ({ annotations: { [podOutcomeAnnotation]: v } });

test('a ReplicaSet pod goes Pending -> Running+Ready, then stays', () => {
  assert.deepEqual(stagesFor('Pod', { metadata: { ...rsOwner }, status: { phase: 'Pending' } }), ['pod-ready']);
  assert.deepEqual(stagesFor('Pod', { metadata: { ...rsOwner }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }), []);
});

test('a Job pod runs, then succeeds, unless marked to fail', () => {
  assert.deepEqual(stagesFor('Pod', { metadata: { ...jobOwner }, status: { phase: 'Pending' } }), ['pod-ready']);
  assert.deepEqual(stagesFor('Pod', { metadata: { ...jobOwner }, status: { phase: 'Running' } }), ['pod-complete']);
  assert.deepEqual(stagesFor('Pod', { metadata: { ...jobOwner, ...outcome(podOutcomes.failure) }, status: { phase: 'Pending' } }), ['pod-ready']);
  assert.deepEqual(stagesFor('Pod', { metadata: { ...jobOwner, ...outcome(podOutcomes.failure) }, status: { phase: 'Running' } }), ['pod-fail']);
  assert.deepEqual(stagesFor('Pod', { metadata: { ...jobOwner }, status: { phase: 'Succeeded' } }), []);
  assert.deepEqual(stagesFor('Pod', { metadata: { ...jobOwner }, status: { phase: 'Failed' } }), []);
});

test('a never-ready pod runs unready and is left alone', () => {
  assert.deepEqual(stagesFor('Pod', { metadata: { ...rsOwner, ...outcome(podOutcomes.neverReady) }, status: { phase: 'Pending' } }), ['pod-running-unready']);
  assert.deepEqual(stagesFor('Pod', { metadata: { ...rsOwner, ...outcome(podOutcomes.neverReady) }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }), []);
  assert.deepEqual(stagesFor('Pod', { metadata: { ...jobOwner, ...outcome(podOutcomes.neverReady) }, status: { phase: 'Running' } }), []);
});

test('a deleted pod is removed whatever its phase, and nothing else matches it', () => {
  for (const phase of ['Pending', 'Running', 'Succeeded', 'Failed']) {
    for (const meta of [rsOwner, jobOwner, { ...jobOwner, ...outcome(podOutcomes.failure) }]) {
      assert.deepEqual(stagesFor('Pod', { metadata: { ...meta, deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase } }), ['pod-delete']);
    }
  }
});

test('a new node is initialised once, then only heartbeats', () => {
  assert.deepEqual(stagesFor('Node', { metadata: {}, status: {} }), ['node-initialize']);
  assert.deepEqual(stagesFor('Node', { metadata: {}, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }), ['node-heartbeat']);
});

test('kwok config: options first, then every stage; names unique', () => {
  const docs = parseAllDocuments(kwokConfigYaml()).map((d) => d.toJS() as Record<string, any>);
  assert.equal(docs[0]?.['kind'], 'KwokConfiguration');
  assert.equal(docs[0]?.['options'].cidr, podCidr);
  assert.equal(docs[0]?.['options'].manageAllNodes, true);
  const stages = docs.slice(1);
  assert.ok(stages.every((d) => d['kind'] === 'Stage' && d['apiVersion'] === 'kwok.x-k8s.io/v1alpha1'));
  const names = stages.map((d) => d['metadata'].name as string);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.includes('pod-delete'), 'without pod-delete, deleted pods stay Terminating forever');
});

test('stage templates open and close their blocks', () => {
  for (const s of ourStages()) {
    const t = s.spec.next.statusTemplate;
    if (t === undefined) continue;
    const opens = (t.match(/\{\{-?\s*(range|with|if)\b/g) ?? []).length;
    const ends = (t.match(/\{\{-?\s*end\s*-?\}\}/g) ?? []).length;
    assert.equal(opens, ends, `${s.metadata.name}: ${opens} blocks opened, ${ends} closed`);
    assert.equal((t.match(/\{\{/g) ?? []).length, (t.match(/\}\}/g) ?? []).length, s.metadata.name);
  }
});
