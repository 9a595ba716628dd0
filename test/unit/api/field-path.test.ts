import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RolloutSchema } from '../../../functions/api/index.ts';
import { childPath, pointerToFieldPath, ROOT_PATH } from '../../../functions/api/validation/field-path.ts';

const schema = JSON.parse(JSON.stringify(RolloutSchema)) as Record<string, unknown>;

describe('pointerToFieldPath › JSON pointer to Kubernetes field path', () => {
  const cases: Array<[string, string]> = [
    ['', ROOT_PATH],
    ['/spec', 'spec'],
    ['/spec/strategy/canary/steps/2/setWeight', 'spec.strategy.canary.steps[2].setWeight'],
    ['/metadata/labels/app.kubernetes.io~1name', 'metadata.labels[app.kubernetes.io/name]'],
    ['/spec/template/spec/containers/0/resources/limits/cpu', 'spec.template.spec.containers[0].resources.limits[cpu]'],
    ['/spec/strategy/canary/steps/0/setMirrorRoute/match/1/headers/x-user/exact', 'spec.strategy.canary.steps[0].setMirrorRoute.match[1].headers[x-user].exact'],
    ['/spec/strategy/canary/trafficRouting/plugins/argoproj-labs~1gatewayAPI/httpRoute', 'spec.strategy.canary.trafficRouting.plugins[argoproj-labs/gatewayAPI].httpRoute'],
    ['/spec/template/spec/containers/0/livenessProbe', 'spec.template.spec.containers[0].livenessProbe'],
    ['/status/pauseConditions/0/startTime', 'status.pauseConditions[0].startTime'],
    ['/a~0b', 'a~b'],
  ];
  for (const [pointer, expected] of cases) {
    it(`${pointer || '(empty)'} → ${expected}`, () => assert.equal(pointerToFieldPath(schema, pointer), expected));
  }

  it('childPath appends a field, treating the root specially', () => {
    assert.equal(childPath(ROOT_PATH, 'spec'), 'spec');
    assert.equal(childPath('spec.strategy', 'canary'), 'spec.strategy.canary');
  });
});
