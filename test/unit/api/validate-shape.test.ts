import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type FieldError,
  formatFieldError,
  type Rollout,
  type RolloutStatus,
  validateShape,
} from '../../../functions/api/index.ts';
import { aJobMetric, anAnalysisRun, anAnalysisTemplate, anExperiment, aRollout } from '../../fixtures/index.ts';

const messages = (errors: FieldError[]) => errors.map(formatFieldError);

/** A structurally cloned object, loosened so tests can put wrong types in. */
function loose<T>(value: T): Record<string, any> {
  return structuredClone(value) as Record<string, any>;
}

describe('validateShape › wrong types are reported at their exact path', () => {
  it('setWeight given as a string', () => {
    const rollout = loose(aRollout().withCanarySteps([{ setWeight: 10 }, { pause: {} }, { setWeight: 20 }]).build());
    rollout['spec'].strategy.canary.steps[2].setWeight = 'x';
    assert.deepEqual(validateShape('Rollout', rollout), [
      { path: 'spec.strategy.canary.steps[2].setWeight', type: 'Invalid', value: 'x', detail: 'must be an integer' },
    ]);
    assert.deepEqual(messages(validateShape('Rollout', rollout)), [
      'spec.strategy.canary.steps[2].setWeight: Invalid value: "x": must be an integer',
    ]);
  });

  it('every problem is reported, not just the first', () => {
    const rollout = loose(aRollout().build());
    rollout['spec'].replicas = '3';
    rollout['spec'].paused = 'yes';
    rollout['spec'].template.spec.containers[0].ports[0].containerPort = 'http';
    rollout['spec'].strategy.canary.steps[0].setWeight = 12.5;
    rollout['metadata'].labels = { team: 7 };
    assert.deepEqual(messages(validateShape('Rollout', rollout)).sort(), [
      'metadata.labels[team]: Invalid value: 7: must be a string',
      'spec.paused: Invalid value: "yes": must be a boolean',
      'spec.replicas: Invalid value: "3": must be an integer',
      'spec.strategy.canary.steps[0].setWeight: Invalid value: 12.5: must be an integer',
      'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "http": must be an integer',
    ]);
  });

  it('missing required fields are Required errors at the field\'s own path', () => {
    const rollout = loose(aRollout().withBlueGreen('active').build());
    delete rollout['spec'].strategy.blueGreen.activeService;
    delete rollout['spec'].template.spec.containers[0].name;
    assert.deepEqual(messages(validateShape('Rollout', rollout)).sort(), [
      'spec.strategy.blueGreen.activeService: Required value',
      'spec.template.spec.containers[0].name: Required value',
    ]);
  });

  it('a Rollout without spec', () => {
    assert.deepEqual(messages(validateShape('Rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'x' } })), [
      'spec: Required value',
    ]);
  });

  it('an object that is not an object at all', () => {
    assert.deepEqual(messages(validateShape('Rollout', 'hello')), ['<root>: Invalid value: "hello": must be an object']);
    assert.deepEqual(messages(validateShape('Rollout', [])), ['<root>: Invalid value: []: must be an object']);
  });

  it('analysis metric limits, providers and nested job templates', () => {
    const template = loose(anAnalysisTemplate().withMetrics(aJobMetric()).build());
    template['spec'].metrics[0].failureLimit = true;
    template['spec'].metrics[0].provider.job.spec.template.spec.containers[0].args = '--oops';
    template['spec'].metrics[0].provider.job.spec.backoffLimit = 'none';
    assert.deepEqual(messages(validateShape('AnalysisTemplate', template)).sort(), [
      'spec.metrics[0].failureLimit: Invalid value: true: must be an integer or a string',
      'spec.metrics[0].provider.job.spec.backoffLimit: Invalid value: "none": must be an integer',
      'spec.metrics[0].provider.job.spec.template.spec.containers[0].args: Invalid value: "--oops": must be an array',
    ]);
  });

  it('enums Argo enforces are NotSupported errors listing the accepted values', () => {
    const template = loose(anAnalysisTemplate().build());
    template['spec'].metrics[0].provider = { datadog: { query: 'avg:x', apiVersion: 'v3' } };
    assert.deepEqual(messages(validateShape('AnalysisTemplate', template)), [
      'spec.metrics[0].provider.datadog.apiVersion: Unsupported value: "v3": supported values: "v1", "v2"',
    ]);
  });

  it('int32 fields reject values outside 32 bits', () => {
    const rollout = loose(aRollout().build());
    rollout['spec'].replicas = 2 ** 31;
    assert.deepEqual(messages(validateShape('Rollout', rollout)), [
      'spec.replicas: Invalid value: 2147483648: must fit in a 32-bit integer (-2147483648..2147483647)',
    ]);
  });

  it('timestamps must be RFC 3339', () => {
    const rollout = loose(aRollout().build());
    rollout['spec'].restartAt = 'tomorrow';
    rollout['status'] = { pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-01 00:00' }] };
    assert.deepEqual(messages(validateShape('Rollout', rollout)), [
      'spec.restartAt: Invalid value: "tomorrow": must be an RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z',
      'status.pauseConditions[0].startTime: Invalid value: "2026-01-01 00:00": must be an RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z',
    ]);
    assert.deepEqual(validateShape('Rollout', aRollout().withSpec({ restartAt: '2026-01-01T10:00:00.5+02:00' }).build()), []);
  });
});

describe('validateShape › int-or-string', () => {
  for (const value of [3, 0, '3', '25%', '{{args.count}}']) {
    it(`maxSurge ${JSON.stringify(value)} is accepted`, () => {
      const rollout = aRollout().withCanarySteps([{ setWeight: 50 }], { maxSurge: value, maxUnavailable: value }).build();
      assert.deepEqual(validateShape('Rollout', rollout), []);
    });
  }

  for (const value of [1.5, true, { percent: 25 }, ['25%']]) {
    it(`maxSurge ${JSON.stringify(value)} is rejected`, () => {
      const rollout = loose(aRollout().build());
      rollout['spec'].strategy.canary.maxSurge = value;
      assert.deepEqual(validateShape('Rollout', rollout), [
        { path: 'spec.strategy.canary.maxSurge', type: 'Invalid', value, detail: 'must be an integer or a string' },
      ]);
    });
  }

  it('pause durations: number, numeric string and Go duration', () => {
    const rollout = aRollout().withCanarySteps([{ pause: { duration: 30 } }, { pause: { duration: '30' } }, { pause: { duration: '1h' } }]).build();
    assert.deepEqual(validateShape('Rollout', rollout), []);
  });

  it('metric count and limits accept numbers and placeholder strings', () => {
    const template = anAnalysisTemplate()
      .withMetrics({
        name: 'm',
        count: '{{args.count}}',
        failureLimit: -1,
        inconclusiveLimit: '2',
        consecutiveErrorLimit: 4,
        consecutiveSuccessLimit: 3,
        interval: '1m',
        provider: { web: { url: 'http://x' } },
      })
      .build();
    assert.deepEqual(validateShape('AnalysisTemplate', template), []);
  });
});

describe('validateShape › status.observedGeneration is a string', () => {
  it('"7" is accepted', () => {
    const status: RolloutStatus = { observedGeneration: '7' };
    assert.deepEqual(validateShape('Rollout', aRollout().withStatus(status).build()), []);
  });

  it('7 is rejected', () => {
    // @ts-expect-error observedGeneration is a string on the wire, never a number
    const status: RolloutStatus = { observedGeneration: 7 };
    const rollout: Rollout = { ...aRollout().build(), status };
    assert.deepEqual(messages(validateShape('Rollout', rollout)), ['status.observedGeneration: Invalid value: 7: must be a string']);
  });
});

describe('validateShape › well-known string values', () => {
  it('are typed for TypeScript but, as in Argo\'s CRDs, not enforced by the schema', () => {
    // @ts-expect-error 'Healty' is not a Rollout phase
    const status: RolloutStatus = { phase: 'Healty' };
    assert.deepEqual(validateShape('Rollout', aRollout().withStatus(status).build()), []);
  });
});

describe('validateShape › unknown fields', () => {
  it('a misspelt field is Forbidden and names the known ones', () => {
    const rollout = loose(aRollout().build());
    rollout['spec'].strategy.canary.steps[0] = { setWieght: 20 };
    assert.deepEqual(validateShape('Rollout', rollout), [
      {
        path: 'spec.strategy.canary.steps[0].setWieght',
        type: 'Forbidden',
        detail:
          'unknown field; known fields: setWeight, pause, experiment, analysis, setCanaryScale, setHeaderRoute, setMirrorRoute, plugin',
      },
    ]);
  });

  it('can be ignored, as the API server prunes them', () => {
    const rollout = loose(aRollout().build());
    rollout['spec'].strategy.canary.steps[0] = { setWieght: 20 };
    rollout['spec'].surprise = {};
    assert.deepEqual(validateShape('Rollout', rollout, { unknownFields: 'ignore' }), []);
  });

  it('objects that preserve unknown fields accept anything extra', () => {
    const rollout = loose(aRollout().build());
    const container = rollout['spec'].template.spec.containers[0];
    container.livenessProbe = { httpGet: { path: '/healthz', port: 8080 } };
    container.resources.claims = [{ name: 'gpu' }];
    rollout['spec'].template.spec.securityContext = { runAsNonRoot: true };
    rollout['spec'].strategy.canary.trafficRouting = { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'demo' } } };
    rollout['spec'].strategy.canary.steps.push({ plugin: { name: 'x', config: { anything: [1, 2] } } });
    assert.deepEqual(validateShape('Rollout', rollout), []);
  });

  it('an empty struct takes no fields', () => {
    const rollout = loose(aRollout().build());
    rollout['spec'].strategy.canary.antiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: { weight: 1 } };
    assert.deepEqual(messages(validateShape('Rollout', rollout)), [
      'spec.strategy.canary.antiAffinity.requiredDuringSchedulingIgnoredDuringExecution.weight: Forbidden: unknown field; this object takes no fields',
    ]);
  });
});

describe('validateShape › null and identity', () => {
  it('null stands for an absent optional field', () => {
    const rollout = loose(aRollout().build());
    rollout['metadata'].creationTimestamp = null;
    rollout['spec'].strategy.canary.maxSurge = null;
    rollout['status'] = null;
    assert.deepEqual(validateShape('Rollout', rollout), []);
  });

  it('null for a required field is a Required error', () => {
    const rollout = loose(aRollout().withBlueGreen('active').build());
    rollout['spec'].strategy.blueGreen.activeService = null;
    assert.deepEqual(messages(validateShape('Rollout', rollout)), ['spec.strategy.blueGreen.activeService: Required value']);
  });

  it('a list item that is null is invalid', () => {
    const rollout = loose(aRollout().build());
    rollout['spec'].strategy.canary.steps[1] = null;
    assert.deepEqual(messages(validateShape('Rollout', rollout)), [
      'spec.strategy.canary.steps[1]: Invalid value: null: must be an object',
    ]);
  });

  it('apiVersion and kind must name the kind being validated', () => {
    const rollout = { ...aRollout().build(), apiVersion: 'argoproj.io/v1beta1', kind: 'Deployment' };
    assert.deepEqual(messages(validateShape('Rollout', rollout)), [
      'apiVersion: Unsupported value: "argoproj.io/v1beta1": supported values: "argoproj.io/v1alpha1"',
      'kind: Unsupported value: "Deployment": supported values: "Rollout"',
    ]);
  });

  it('does not modify its input', () => {
    const rollout = loose(aRollout().build());
    rollout['spec'].strategy.canary.maxSurge = null;
    const before = structuredClone(rollout);
    validateShape('Rollout', rollout);
    assert.deepEqual(rollout, before);
  });
});

describe('validateShape › other kinds', () => {
  it('AnalysisRun status phase is required once status is written', () => {
    const run = loose(anAnalysisRun().build());
    run['status'] = { message: 'x' };
    assert.deepEqual(messages(validateShape('AnalysisRun', run)), ['status.phase: Required value']);
  });

  it('Experiment templates need a selector and a template', () => {
    const experiment = loose(anExperiment().build());
    delete experiment['spec'].templates[0].selector;
    experiment['spec'].templates[0].replicas = '1';
    assert.deepEqual(messages(validateShape('Experiment', experiment)).sort(), [
      'spec.templates[0].replicas: Invalid value: "1": must be an integer',
      'spec.templates[0].selector: Required value',
    ]);
  });

  it('a ClusterAnalysisTemplate is checked against its own kind', () => {
    const template = anAnalysisTemplate().build();
    assert.deepEqual(messages(validateShape('ClusterAnalysisTemplate', template)), [
      'kind: Unsupported value: "AnalysisTemplate": supported values: "ClusterAnalysisTemplate"',
    ]);
  });
});
