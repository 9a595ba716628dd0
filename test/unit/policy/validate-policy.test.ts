import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { formatFieldError } from '../../../functions/api/index.ts';
import { conditionProblems, validateRolloutPolicy } from '../../../functions/policy/index.ts';

const examples = fileURLToPath(new URL('../../../docs/examples/policies/', import.meta.url));

function problems(spec: unknown, extra: Record<string, unknown> = {}): string[] {
  return validateRolloutPolicy({ apiVersion: 'ramp.dev/v1alpha1', kind: 'RolloutPolicy', metadata: { name: 'p' }, spec, ...extra }).map(formatFieldError);
}

describe('RolloutPolicy validation', () => {
  for (const file of readdirSync(examples).filter((f) => f.endsWith('.yaml'))) {
    it(`docs/examples/policies/${file} is valid`, () => {
      for (const doc of parseAllDocuments(readFileSync(examples + file, 'utf8'))) {
        assert.deepEqual(validateRolloutPolicy(doc.toJS()).map(formatFieldError), []);
      }
    });
  }

  const table: Array<[string, unknown, RegExp, Record<string, unknown>?]> = [
    ['wrong apiVersion', { rules: [] }, /apiVersion: Unsupported value: "argoproj.io\/v1alpha1": supported values: "ramp.dev\/v1alpha1"/, { apiVersion: 'argoproj.io/v1alpha1' }],
    ['no spec', undefined, /spec: Required value/],
    ['an empty spec', {}, /spec: Required value: a policy without defaults and without rules does nothing/],
    ['unknown spec field', { rule: [] }, /spec\.rule: Forbidden: unknown field; known fields: priority, match, defaults, rules/],
    ['fractional priority', { priority: 1.5, rules: [] }, /spec\.priority: Invalid value: 1\.5: must be a 32-bit integer/],
    ['unknown kind in match', { match: { kinds: ['Deployment'] }, rules: [] }, /spec\.match\.kinds\[0\]: Unsupported value: "Deployment": supported values: "Rollout", "Experiment"/],
    ['bad selector operator', { match: { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'Equals', values: ['x'] }] } }, rules: [] }, /spec\.match\.namespaceSelector\.matchExpressions\[0\]\.operator: Unsupported value: "Equals"/],
    ['In without values', { match: { objectSelector: { matchExpressions: [{ key: 'env', operator: 'In' }] } }, rules: [] }, /objectSelector\.matchExpressions\[0\]\.values: Required value: operator In needs at least one value/],
    ['a typo in a default', { defaults: { rollout: { progresDeadlineSeconds: 5 } } }, /spec\.defaults\.rollout\.progresDeadlineSeconds: Forbidden: unknown field/],
    ['a wrongly typed default', { defaults: { rollout: { revisionHistoryLimit: 'ten' } } }, /spec\.defaults\.rollout\.revisionHistoryLimit: Invalid value: "ten": must be an integer/],
    ['a negative default', { defaults: { rollout: { progressDeadlineSeconds: -1 } } }, /spec\.defaults\.rollout\.progressDeadlineSeconds: Invalid value: -1: must not be negative/],
    ['a default for the selector', { defaults: { rollout: { selector: { matchLabels: { a: 'b' } } } } }, /spec\.defaults\.rollout\.selector: Forbidden: a policy cannot default this field/],
    ['default steps', { defaults: { rollout: { strategy: { canary: { steps: [{ setWeight: 5 }] } } } } }, /spec\.defaults\.rollout\.strategy\.canary\.steps: Forbidden: a policy cannot default this field: steps are the rollout plan/],
    ['unknown defaults key', { defaults: { deployment: {} } }, /spec\.defaults\.deployment: Forbidden: unknown field; known fields: rollout, experiment/],
    ['rule without name and message', { rules: [{ require: { runsAnalysis: true } }] }, /spec\.rules\[0\]\.name: Required value[\s\S]*spec\.rules\[0\]\.message: Required value/],
    ['duplicate rule names', { rules: [{ name: 'a', message: 'm', require: { runsAnalysis: true } }, { name: 'a', message: 'm', require: { runsAnalysis: true } }] }, /spec\.rules\[1\]\.name: Duplicate value: "a"/],
    ['bad enforcementAction', { rules: [{ name: 'a', message: 'm', enforcementAction: 'block', require: { runsAnalysis: true } }] }, /spec\.rules\[0\]\.enforcementAction: Unsupported value: "block": supported values: "deny", "warn", "audit"/],
    ['rule without require', { rules: [{ name: 'a', message: 'm' }] }, /spec\.rules\[0\]\.require: Required value/],
    ['unknown condition form', { rules: [{ name: 'a', message: 'm', require: { regex: '.*' } }] }, /spec\.rules\[0\]\.require: Required value: a condition needs a form/],
    ['bad field path', { rules: [{ name: 'a', message: 'm', require: { field: 'spec..x', present: true } }] }, /spec\.rules\[0\]\.require\.field: Invalid value: "spec\.\.x": the path expects a field name/],
    ['field without a test', { rules: [{ name: 'a', message: 'm', require: { field: 'spec.replicas' } }] }, /spec\.rules\[0\]\.require: Required value: a field condition needs a test/],
    ['unknown test', { rules: [{ name: 'a', message: 'm', require: { field: 'spec.replicas', greaterThan: 1 } }] }, /spec\.rules\[0\]\.require\.greaterThan: Invalid value: 1: unknown key/],
    ['empty anyOf', { rules: [{ name: 'a', message: 'm', require: { anyOf: [] } }] }, /spec\.rules\[0\]\.require\.anyOf: Invalid value: \[\]: must be a non-empty list of conditions/],
    ['nested problem', { rules: [{ name: 'a', message: 'm', require: { allOf: [{ runsAnalysis: true }, { not: { maxWeightIncrease: 0 } }] } }] }, /spec\.rules\[0\]\.require\.allOf\[1\]\.not\.maxWeightIncrease: Invalid value: 0/],
    ['each without require', { rules: [{ name: 'a', message: 'm', require: { each: 'spec.template.spec.containers' } }] }, /spec\.rules\[0\]\.require\.require: Required value/],
  ];
  for (const [name, spec, expected, extra] of table) {
    it(`refuses ${name}`, () => {
      const found = problems(spec, extra).join('\n');
      assert.match(found, expected);
    });
  }

  it('reports every problem at once', () => {
    const found = problems({ priority: 'high', match: { kinds: ['Pod'] }, rules: [{ name: '', message: '', require: {} }] });
    assert.ok(found.length >= 4, found.join('\n'));
  });

  it('refuses absurdly deep conditions instead of recursing forever', () => {
    let condition: Record<string, unknown> = { runsAnalysis: true };
    for (let i = 0; i < 100; i++) condition = { not: condition };
    assert.match(conditionProblems(condition, 'c').map(formatFieldError).join('\n'), /conditions nest at most 16 deep/);
  });
});
