import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArgoKind } from '../../../functions/api/index.ts';
import { checkRolloutReferences, validateObject } from '../../../functions/validate/index.ts';
import { aJobMetric, anAnalysisRun, anAnalysisTemplate, anExperiment, aPrometheusMetric, aRollout } from '../../fixtures/index.ts';
import { edited, messages } from './rule-table.ts';

describe('validateObject › every problem at once', () => {
  it('reports shape and semantic problems of one object together, each at its path', () => {
    const rollout = edited(aRollout().build(), (r) => {
      r.spec.replicas = 'three'; // shape
      r.spec.minReadySeconds = -1; // semantic
      r.spec.template.spec.containers.push({ name: 'app' }); // duplicate name, no image
      r.spec.strategy.canary.maxSurge = 0;
      r.spec.strategy.canary.maxUnavailable = 0;
      r.spec.strategy.canary.steps = [{ setWeight: 120 }, { setWeight: 10, pause: { duration: 'later' } }, { setWieght: 5 }];
    });
    assert.deepEqual(messages(validateObject('Rollout', rollout)), [
      'spec.replicas: Invalid value: "three": must be an integer',
      'spec.template.spec.containers[1].name: Duplicate value: "app": container names must be unique within the pod; spec.template.spec.containers[0] has the same name',
      'spec.template.spec.containers[1].image: Required value: every container needs an image, e.g. registry.example/app:1.0',
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.strategy.canary.maxUnavailable: Invalid value: 0: maxSurge and maxUnavailable cannot both be zero: the update could neither add a pod nor remove one; raise either',
      'spec.strategy.canary.steps[0].setWeight: Invalid value: 120: must be between 0 and 100',
      'spec.strategy.canary.steps[1]: Invalid value: {"setWeight":10,"pause":{"duration":"later"}}: a step must set exactly one of setWeight, pause, analysis, experiment (found 2: setWeight, pause); setCanaryScale, setHeaderRoute, setMirrorRoute and plugin may accompany it',
      'spec.strategy.canary.steps[1].pause.duration: Invalid value: "later": expected a number at "later"; expected a non-negative whole number of seconds (30), a numeric string ("30") or a Go duration string ("30s", "1m30s", "1h", "500ms", "1.5h"); fractions of a second are dropped',
      'spec.strategy.canary.steps[2]: Invalid value: {"setWieght":5}: a step must set one of setWeight, pause, setCanaryScale, analysis, experiment, setHeaderRoute, setMirrorRoute, plugin (found none)',
    ]);
  });

  it('reports every problem of an AnalysisTemplate at once', () => {
    const template = anAnalysisTemplate()
      .withMetrics(
        { ...aPrometheusMetric('rate'), successCondition: 'result[0] <', count: 3, interval: undefined },
        { ...aJobMetric('rate') },
      )
      .withSpec({ dryRun: [{ metricName: 'nothing' }] })
      .build();
    assert.deepEqual(
      validateObject('AnalysisTemplate', template).map((e) => `${e.path} ${e.type}`),
      [
        'spec.metrics[0].interval Required',
        'spec.metrics[0].successCondition Invalid',
        'spec.metrics[1].name Duplicate',
        'spec.dryRun[0].metricName Invalid',
      ],
    );
  });
});

describe('validateObject › shape handling', () => {
  it('ignores unknown fields, as the API server prunes them', () => {
    const rollout = edited(aRollout().build(), (r) => {
      r.spec.strategy.canary.steps[0].color = 'blue';
      r.spec.notAField = true;
    });
    assert.deepEqual(validateObject('Rollout', rollout), []);
  });

  it('treats null as an absent field', () => {
    const rollout = edited(aRollout().build(), (r) => {
      r.spec.minReadySeconds = null;
      r.spec.template.metadata.annotations = null;
    });
    assert.deepEqual(validateObject('Rollout', rollout), []);
  });

  it('reports a missing spec once', () => {
    assert.deepEqual(messages(validateObject('Experiment', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment' })), ['spec: Required value']);
  });

  it('does not repeat a shape error as a semantic one', () => {
    const run = edited(anAnalysisRun().build(), (r) => delete r.spec.metrics);
    assert.deepEqual(messages(validateObject('AnalysisRun', run)), ['spec.metrics: Required value']);
  });

  it('checks the kind', () => {
    assert.deepEqual(messages(validateObject('AnalysisTemplate', anAnalysisRun().build())), [
      'kind: Unsupported value: "AnalysisRun": supported values: "AnalysisTemplate"',
    ]);
  });
});

describe('validateObject › updates', () => {
  it('an update that leaves spec unchanged is never refused (status and metadata writes)', () => {
    const broken = edited(aRollout().build(), (r) => (r.spec.strategy.canary.steps[0].setWeight = 500));
    assert.equal(validateObject('Rollout', broken).length, 1);
    const withStatus = edited(broken, (r) => {
      r.status = { phase: 'Degraded', observedGeneration: '2' };
      r.metadata.labels = { team: 'a' };
    });
    assert.deepEqual(validateObject('Rollout', withStatus, broken), []);
  });

  it('an update that changes spec is validated in full', () => {
    const old = aRollout().build();
    const changed = edited(old, (r) => {
      r.spec.strategy.canary.steps[0].setWeight = 500;
      r.spec.selector.matchLabels = { app: 'demo', v: '2' };
      r.spec.template.metadata.labels.v = '2';
    });
    assert.deepEqual(validateObject('Rollout', changed, old).map((e) => e.path), ['spec.strategy.canary.steps[0].setWeight', 'spec.selector']);
  });

  it('the Experiment update rules run through validateObject', () => {
    const old = edited(anExperiment().build(), (e) => (e.spec.terminate = true));
    const resumed = edited(old, (e) => (e.spec.terminate = false));
    assert.deepEqual(validateObject('Experiment', resumed, old).map((e) => e.path), ['spec.terminate']);
  });
});

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GARBAGE: unknown[] = [null, 0, -1, 1.5, 1e20, '', 'x', '{{args.x}}', '25%', true, false, [], [1, 'a'], {}, { a: 1 }, [{}], [null]];

/** Every (container, key) in a JSON value. */
function slots(value: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([value, i]), slots(v, out)));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, k]);
      slots(v, out);
    }
  }
  return out;
}

describe('validateObject › never throws on malformed input', () => {
  const samples: Array<[ArgoKind, unknown]> = [
    ['Rollout', aRollout().build()],
    ['Rollout', aRollout().withBlueGreen('a', { previewService: 'b', prePromotionAnalysis: { templates: [{ templateName: 't' }], args: [{ name: 'x', value: 'y' }] }, antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 5 } } }).build()],
    [
      'Rollout',
      aRollout()
        .withCanary({
          canaryService: 'c',
          stableService: 's',
          maxSurge: '10%',
          trafficRouting: { istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'h' }] },
          analysis: { templates: [{ templateName: 't' }], dryRun: [{ metricName: '.*' }] },
          steps: [
            { setWeight: 5 },
            { setHeaderRoute: { name: 'h', match: [{ headerName: 'x', headerValue: { exact: 'y' } }] } },
            { setMirrorRoute: { name: 'h', match: [{ method: { exact: 'GET' }, headers: { a: { prefix: 'b' } } }] } },
            { setCanaryScale: { weight: 5 } },
            { experiment: { templates: [{ name: 'e', specRef: 'canary', weight: 5 }], analyses: [{ name: 'a', templateName: 't', args: [{ name: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] } },
            { pause: { duration: '1m' } },
            { plugin: { name: 'p' } },
          ],
        })
        .build(),
    ],
    ['AnalysisTemplate', anAnalysisTemplate().withMetrics(aPrometheusMetric(), aJobMetric()).withArgs({ name: 'count' }).withSpec({ dryRun: [{ metricName: 'x' }], templates: [{ templateName: 'b' }] }).build()],
    ['AnalysisRun', anAnalysisRun().withArgs({ name: 'a', value: 'b' }).withSpec({ ttlStrategy: { secondsAfterCompletion: 5 } }).build()],
    ['Experiment', anExperiment().withTemplate('a').withTemplate('b').withAnalysis('x', 't', { args: [{ name: 'h', value: '{{templates.a.podTemplateHash}}' }] }).build()],
  ];

  for (const [kind, sample] of samples) {
    it(`${kind}: 300 random corruptions, each reported as field errors`, () => {
      const next = random(kind.length * 7919);
      for (let round = 0; round < 300; round++) {
        const copy = structuredClone(sample) as unknown;
        const all = slots(copy);
        for (let n = 1 + Math.floor(next() * 3); n > 0 && all.length > 0; n--) {
          const [container, slot] = all[Math.floor(next() * all.length)]!;
          (container as Record<string | number, unknown>)[slot] = GARBAGE[Math.floor(next() * GARBAGE.length)];
        }
        let errors: unknown;
        assert.doesNotThrow(() => (errors = validateObject(kind, copy, round % 5 === 0 ? sample : undefined)), `round ${round}: ${JSON.stringify(copy)}`);
        assert.ok(Array.isArray(errors) && errors.every((e) => typeof e.path === 'string' && typeof e.detail === 'string'));
        if (kind === 'Rollout') {
          assert.doesNotThrow(() => checkRolloutReferences(copy as never, { services: {}, ingresses: {}, analysisTemplates: {}, clusterAnalysisTemplates: {}, rolloutsUsingService: {} }));
        }
      }
    });
  }
});
