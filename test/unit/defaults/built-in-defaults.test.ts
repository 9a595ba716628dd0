import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBuiltInDefaults } from '../../../functions/defaults/index.ts';
import { aRollout, anAnalysisTemplate, anExperiment } from '../../fixtures/index.ts';

type Json = Record<string, any>;

function defaulted(kind: string, object: unknown): Json {
  return applyBuiltInDefaults(kind, object).object as Json;
}

const routing = { canaryService: 'web-canary', stableService: 'web-stable', trafficRouting: { nginx: { stableIngress: 'web' } } };

describe('built-in defaults › Rollout', () => {
  const cases: Array<{ name: string; input: Json; path: string[]; expected: unknown }> = [
    { name: 'spec.replicas 1', input: aRollout().withReplicas(undefined).build(), path: ['spec', 'replicas'], expected: 1 },
    { name: 'spec.revisionHistoryLimit 10', input: aRollout().build(), path: ['spec', 'revisionHistoryLimit'], expected: 10 },
    { name: 'spec.progressDeadlineSeconds 600', input: aRollout().build(), path: ['spec', 'progressDeadlineSeconds'], expected: 600 },
    { name: 'spec.analysis.successfulRunHistoryLimit 5', input: aRollout().build(), path: ['spec', 'analysis', 'successfulRunHistoryLimit'], expected: 5 },
    { name: 'spec.analysis.unsuccessfulRunHistoryLimit 5', input: aRollout().build(), path: ['spec', 'analysis', 'unsuccessfulRunHistoryLimit'], expected: 5 },
    { name: 'canary maxSurge "25%"', input: aRollout().build(), path: ['spec', 'strategy', 'canary', 'maxSurge'], expected: '25%' },
    { name: 'canary maxUnavailable "25%"', input: aRollout().build(), path: ['spec', 'strategy', 'canary', 'maxUnavailable'], expected: '25%' },
    {
      name: 'canary scaleDownDelaySeconds 30 with traffic routing',
      input: aRollout().withCanarySteps([{ setWeight: 10 }], routing).build(),
      path: ['spec', 'strategy', 'canary', 'scaleDownDelaySeconds'],
      expected: 30,
    },
    {
      name: 'canary abortScaleDownDelaySeconds 30 with traffic routing',
      input: aRollout().withCanarySteps([{ setWeight: 10 }], routing).build(),
      path: ['spec', 'strategy', 'canary', 'abortScaleDownDelaySeconds'],
      expected: 30,
    },
    {
      name: 'nginx annotationPrefix',
      input: aRollout().withCanarySteps([{ setWeight: 10 }], routing).build(),
      path: ['spec', 'strategy', 'canary', 'trafficRouting', 'nginx', 'annotationPrefix'],
      expected: 'nginx.ingress.kubernetes.io',
    },
    {
      name: 'alb annotationPrefix',
      input: aRollout()
        .withCanarySteps([{ setWeight: 10 }], { canaryService: 'c', stableService: 's', trafficRouting: { alb: { ingress: 'web', servicePort: 80 } } })
        .build(),
      path: ['spec', 'strategy', 'canary', 'trafficRouting', 'alb', 'annotationPrefix'],
      expected: 'alb.ingress.kubernetes.io',
    },
    {
      name: 'experiment step template replicas 1',
      input: aRollout()
        .withCanarySteps([{ setWeight: 10 }, { experiment: { templates: [{ name: 'a', specRef: 'canary' }, { name: 'b', specRef: 'stable', replicas: 3 }] } }])
        .build(),
      path: ['spec', 'strategy', 'canary', 'steps', '1', 'experiment', 'templates', '0', 'replicas'],
      expected: 1,
    },
    { name: 'blueGreen autoPromotionEnabled true', input: aRollout().withBlueGreen('active').build(), path: ['spec', 'strategy', 'blueGreen', 'autoPromotionEnabled'], expected: true },
    { name: 'blueGreen scaleDownDelaySeconds 30', input: aRollout().withBlueGreen('active').build(), path: ['spec', 'strategy', 'blueGreen', 'scaleDownDelaySeconds'], expected: 30 },
    {
      name: 'blueGreen abortScaleDownDelaySeconds 30',
      input: aRollout().withBlueGreen('active').build(),
      path: ['spec', 'strategy', 'blueGreen', 'abortScaleDownDelaySeconds'],
      expected: 30,
    },
  ];
  for (const c of cases) {
    it(`fills ${c.name}`, () => {
      let node: any = defaulted('Rollout', c.input);
      for (const p of c.path) node = node?.[p];
      assert.deepEqual(node, c.expected);
    });
  }

  it('keeps every value the user set, including zeros and false', () => {
    const input = aRollout()
      .withReplicas(0)
      .withSpec({ revisionHistoryLimit: 0, progressDeadlineSeconds: 30, analysis: { successfulRunHistoryLimit: 1 } })
      .withCanarySteps([{ setWeight: 10 }], { ...routing, maxSurge: 0, maxUnavailable: '10%', scaleDownDelaySeconds: 0, abortScaleDownDelaySeconds: 0 })
      .build();
    const out = defaulted('Rollout', input);
    assert.equal(out['spec'].replicas, 0);
    assert.equal(out['spec'].revisionHistoryLimit, 0);
    assert.equal(out['spec'].progressDeadlineSeconds, 30);
    assert.deepEqual(out['spec'].analysis, { successfulRunHistoryLimit: 1, unsuccessfulRunHistoryLimit: 5 });
    const canary = out['spec'].strategy.canary;
    assert.equal(canary.maxSurge, 0);
    assert.equal(canary.maxUnavailable, '10%');
    assert.equal(canary.scaleDownDelaySeconds, 0);
    assert.equal(canary.abortScaleDownDelaySeconds, 0);
    const bg = defaulted('Rollout', aRollout().withBlueGreen('a', { autoPromotionEnabled: false }).build());
    assert.equal(bg['spec'].strategy.blueGreen.autoPromotionEnabled, false);
  });

  it('treats null as absent (the API server drops null fields)', () => {
    const input = aRollout().build() as Json;
    input['spec'].revisionHistoryLimit = null;
    assert.equal(defaulted('Rollout', input)['spec'].revisionHistoryLimit, 10);
  });

  describe('leaves implicit what would change behaviour', () => {
    it('no canary scale-down delays without traffic routing (validation rejects them there)', () => {
      const canary = defaulted('Rollout', aRollout().build())['spec'].strategy.canary;
      assert.equal('scaleDownDelaySeconds' in canary, false);
      assert.equal('abortScaleDownDelaySeconds' in canary, false);
    });
    it('no canary scale-down delays with dynamicStableScale', () => {
      const canary = defaulted('Rollout', aRollout().withCanarySteps([{ setWeight: 10 }], { ...routing, dynamicStableScale: true }).build())['spec'].strategy.canary;
      assert.equal('scaleDownDelaySeconds' in canary, false);
      assert.equal('abortScaleDownDelaySeconds' in canary, false);
    });
    it('no maxTrafficWeight (only NGINX and plugins may set it)', () => {
      const canary = defaulted('Rollout', aRollout().withCanarySteps([{ setWeight: 10 }], routing).build())['spec'].strategy.canary;
      assert.equal('maxTrafficWeight' in canary.trafficRouting, false);
    });
    it('never creates a strategy, a traffic router or a step field', () => {
      const noStrategy = aRollout().build() as Json;
      delete noStrategy['spec'].strategy;
      assert.equal('strategy' in defaulted('Rollout', noStrategy)['spec'], false);
      const out = defaulted('Rollout', aRollout().build());
      assert.equal('blueGreen' in out['spec'].strategy, false);
      assert.equal('trafficRouting' in out['spec'].strategy.canary, false);
      assert.deepEqual(out['spec'].strategy.canary.steps, [{ setWeight: 20 }, { pause: {} }]);
    });
    it('no zero-valued booleans or integers (paused, progressDeadlineAbort, minReadySeconds)', () => {
      const spec = defaulted('Rollout', aRollout().build())['spec'];
      for (const field of ['paused', 'progressDeadlineAbort', 'minReadySeconds']) assert.equal(field in spec, false, field);
    });
  });

  it('does not modify its input', () => {
    const input = aRollout().withReplicas(undefined).build();
    const before = structuredClone(input);
    applyBuiltInDefaults('Rollout', input);
    assert.deepEqual(input, before);
  });

  it('reports the filled field paths', () => {
    const { filled } = applyBuiltInDefaults('Rollout', aRollout().withBlueGreen('active').build());
    assert.deepEqual(filled, [
      'spec.revisionHistoryLimit',
      'spec.progressDeadlineSeconds',
      'spec.analysis.successfulRunHistoryLimit',
      'spec.analysis.unsuccessfulRunHistoryLimit',
      'spec.strategy.blueGreen.autoPromotionEnabled',
      'spec.strategy.blueGreen.scaleDownDelaySeconds',
      'spec.strategy.blueGreen.abortScaleDownDelaySeconds',
    ]);
  });
});

describe('built-in defaults › Experiment', () => {
  it('fills progressDeadlineSeconds 600, scaleDownDelaySeconds 30 and template replicas 1', () => {
    const input = anExperiment().withTemplate('baseline').build() as Json;
    delete input['spec'].templates[0].replicas;
    const spec = defaulted('Experiment', input)['spec'];
    assert.equal(spec.progressDeadlineSeconds, 600);
    assert.equal(spec.scaleDownDelaySeconds, 30);
    assert.equal(spec.templates[0].replicas, 1);
  });
});

describe('built-in defaults › other kinds and odd input', () => {
  it('AnalysisTemplate is left as it is', () => {
    const input = anAnalysisTemplate().build();
    assert.deepEqual(defaulted('AnalysisTemplate', input), input);
  });
  for (const odd of [null, 42, 'x', [], {}, { spec: 'x' }, { spec: { strategy: { canary: 'x' } } }, { spec: { strategy: { canary: { steps: 'x' } } } }]) {
    it(`survives ${JSON.stringify(odd)}`, () => {
      assert.doesNotThrow(() => applyBuiltInDefaults('Rollout', odd));
      assert.doesNotThrow(() => applyBuiltInDefaults('Experiment', odd));
    });
  }
});

describe('built-in defaults › idempotency', () => {
  const inputs: Array<[string, string, unknown]> = [
    ['Rollout', 'canary', aRollout().withReplicas(undefined).build()],
    ['Rollout', 'routed canary', aRollout().withCanarySteps([{ setWeight: 5 }, { experiment: { templates: [{ name: 'x', specRef: 'canary' }] } }], routing).build()],
    ['Rollout', 'blue-green', aRollout().withBlueGreen('active', { previewService: 'preview' }).build()],
    ['Experiment', 'experiment', anExperiment().withTemplate('a').build()],
  ];
  for (const [kind, name, input] of inputs) {
    it(`${name}: defaulting twice equals defaulting once, and the second pass fills nothing`, () => {
      const once = applyBuiltInDefaults(kind, input);
      const twice = applyBuiltInDefaults(kind, once.object);
      assert.deepEqual(twice.object, once.object);
      assert.deepEqual(twice.filled, []);
    });
  }
});
