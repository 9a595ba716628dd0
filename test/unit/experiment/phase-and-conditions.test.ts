// The phase from templates and analyses (reference §12.3), InvalidSpec, conditions and events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anExperiment } from '../../fixtures/index.ts';
import type { AnalysisPhase, ExperimentAnalysisRunStatus, ExperimentSpec, TemplateStatus } from '../../../functions/api/index.ts';
import { assessAnalyses, assessTemplates, decideExperiment, experimentPhase, isTerminating } from '../../../functions/experiment/index.ts';
import { World } from './world.ts';

function spec(templates: string[], analyses: Array<{ name: string; required?: boolean }> = []): ExperimentSpec {
  const built = anExperiment().withDuration(undefined);
  for (const t of templates) built.withTemplate(t);
  for (const a of analyses) built.withAnalysis(a.name, 't', a.required ? { requiredForCompletion: true } : {});
  return built.build().spec;
}

function ts(name: string, status: TemplateStatus['status'], message?: string): TemplateStatus {
  return { name, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, status, ...(message ? { message } : {}) };
}

function run(name: string, phase: AnalysisPhase, message?: string): ExperimentAnalysisRunStatus {
  return { name, analysisRun: `x-${name}`, phase, ...(message ? { message } : {}) };
}

describe('experiment phase › templates', () => {
  const cases: Array<[Array<TemplateStatus['status']>, string]> = [
    [['Running', 'Running'], 'Running'],
    [['Running', 'Progressing'], 'Pending'],
    [['Successful', 'Running'], 'Running'],
    [['Successful', 'Successful'], 'Successful'],
    [['Failed', 'Error'], 'Failed'],
    [['Error', 'Progressing'], 'Error'],
  ];
  for (const [statuses, phase] of cases) {
    it(`${statuses.join(' + ')} → ${phase}`, () => {
      const names = statuses.map((_, i) => `t${i}`);
      assert.equal(assessTemplates(spec(names), statuses.map((s, i) => ts(names[i]!, s))).phase, phase);
    });
  }
  it('a template without a status counts as Progressing', () => {
    assert.equal(assessTemplates(spec(['a', 'b']), [ts('a', 'Running')]).phase, 'Pending');
  });
  it('the worst template\'s message is the message', () => {
    assert.deepEqual(assessTemplates(spec(['a', 'b']), [ts('a', 'Running'), ts('b', 'Failed', 'too slow')]), { phase: 'Failed', message: 'too slow' });
  });
});

describe('experiment phase › analyses', () => {
  const cases: Array<[Array<[AnalysisPhase, boolean?]>, string]> = [
    [[], 'Successful'],
    [[['Pending']], 'Running'],
    [[['Running'], ['Successful']], 'Running'],
    [[['Successful'], ['Inconclusive']], 'Inconclusive'],
    [[['Error'], ['Inconclusive']], 'Error'],
    [[['Error'], ['Failed']], 'Failed'],
    [[['Successful', true], ['Running']], 'Successful'],
    // Pending ranks worse than Running: a run that has not started measuring holds the verdict (it is terminated next).
    [[['Successful', true], ['Pending']], 'Running'],
    [[['Successful', true], ['Failed']], 'Failed'],
    [[['Running', true], ['Successful', true]], 'Running'],
  ];
  for (const [runs, phase] of cases) {
    it(`${runs.map(([p, r]) => `${p}${r ? '(required)' : ''}`).join(' + ') || 'none'} → ${phase}`, () => {
      const analyses = runs.map(([, required], i) => ({ name: `a${i}`, required: required ?? false }));
      assert.equal(assessAnalyses(spec(['t'], analyses), runs.map(([p], i) => run(`a${i}`, p))).phase, phase);
    });
  }
  it('analyses left out are not counted', () => {
    assert.equal(assessAnalyses(spec(['t'], [{ name: 'a' }]), [run('a', 'Pending')], () => false).phase, 'Successful');
  });
});

describe('experiment phase › combined', () => {
  const cases: Array<{ templates: TemplateStatus['status']; analyses: Array<[AnalysisPhase, boolean?]>; expect: string }> = [
    { templates: 'Progressing', analyses: [], expect: 'Pending' },
    { templates: 'Running', analyses: [], expect: 'Running' },
    { templates: 'Running', analyses: [['Running']], expect: 'Running' },
    { templates: 'Running', analyses: [['Successful']], expect: 'Running' },
    { templates: 'Running', analyses: [['Successful', true]], expect: 'Successful' },
    { templates: 'Running', analyses: [['Inconclusive']], expect: 'Inconclusive' },
    { templates: 'Progressing', analyses: [['Error']], expect: 'Error' },
    { templates: 'Successful', analyses: [], expect: 'Successful' },
    { templates: 'Successful', analyses: [['Running']], expect: 'Successful' },
    { templates: 'Successful', analyses: [['Running', true]], expect: 'Running' },
    { templates: 'Successful', analyses: [['Failed']], expect: 'Failed' },
    { templates: 'Failed', analyses: [['Successful', true]], expect: 'Failed' },
    { templates: 'Error', analyses: [['Running']], expect: 'Error' },
  ];
  for (const c of cases) {
    it(`templates ${c.templates}, analyses ${c.analyses.map(([p, r]) => `${p}${r ? '(required)' : ''}`).join(' + ') || 'none'} → ${c.expect}`, () => {
      const s = spec(['t'], c.analyses.map(([, required], i) => ({ name: `a${i}`, required: required ?? false })));
      const runs = c.analyses.map(([p], i) => run(`a${i}`, p));
      const phase = experimentPhase(s, assessTemplates(s, [ts('t', c.templates)]), assessAnalyses(s, runs), runs);
      assert.equal(phase.phase, c.expect);
    });
  }
});

describe('experiment phase › terminating', () => {
  const cases: Array<{ name: string; terminate?: boolean; phase?: AnalysisPhase; template?: TemplateStatus['status']; run?: [AnalysisPhase, boolean?]; expect: boolean }> = [
    { name: 'a running experiment', phase: 'Running', template: 'Running', run: ['Running'], expect: false },
    { name: 'spec.terminate', terminate: true, phase: 'Running', expect: true },
    { name: 'a final phase', phase: 'Successful', expect: true },
    { name: 'a failed template', phase: 'Running', template: 'Failed', expect: true },
    { name: 'an inconclusive analysis', phase: 'Running', run: ['Inconclusive'], expect: true },
    { name: 'required analyses done', phase: 'Running', run: ['Successful', true], expect: true },
    { name: 'a successful analysis that is not required', phase: 'Running', run: ['Successful'], expect: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.expect}`, () => {
      const s = spec(['t'], c.run ? [{ name: 'a', required: c.run[1] ?? false }] : []);
      if (c.terminate) s.terminate = true;
      const status = {
        ...(c.phase ? { phase: c.phase } : {}),
        ...(c.template ? { templateStatuses: [ts('t', c.template)] } : {}),
        ...(c.run ? { analysisRuns: [run('a', c.run[0])] } : {}),
      };
      assert.equal(isTerminating(s, status), c.expect);
    });
  }
});

describe('experiment › InvalidSpec', () => {
  const invalid: Array<{ name: string; change: (s: ExperimentSpec) => void; message: string }> = [
    {
      name: 'a template without a selector',
      change: (s) => {
        delete (s.templates[0] as { selector?: unknown }).selector;
      },
      message: 'spec.templates[0].selector: Required value: a label selector matching the template\'s pod labels',
    },
    {
      name: 'an empty selector',
      change: (s) => {
        s.templates[0]!.selector = {};
      },
      message: 'spec.templates[0].selector: Invalid value: {}: an empty selector would select every pod in the namespace; a non-empty selector is required',
    },
    {
      name: 'minReadySeconds longer than the deadline',
      change: (s) => {
        s.templates[0]!.minReadySeconds = 700;
      },
      message: 'spec.templates[0].minReadySeconds: Invalid value: 700: must not be longer than progressDeadlineSeconds (600)',
    },
    {
      name: 'an unnamed template',
      change: (s) => {
        s.templates[0]!.name = '';
      },
      message: 'spec.templates[0].name: Required value: every template needs a name, unique within the experiment',
    },
    {
      name: 'two templates with one name',
      change: (s) => {
        s.templates.push(structuredClone(s.templates[0]!));
      },
      message: 'spec.templates[1].name: Duplicate value: "baseline"',
    },
    {
      name: 'an unreadable duration',
      change: (s) => {
        s.duration = '5 minutes';
      },
      message: 'spec.duration: Invalid value: "5 minutes"',
    },
  ];
  for (const c of invalid) {
    it(`${c.name}: condition InvalidSpec, nothing created`, () => {
      const experiment = anExperiment().build();
      c.change(experiment.spec);
      const world = new World(experiment);
      const decision = world.reconcile();
      assert.deepEqual(decision.actions, []);
      const condition = world.status.conditions?.find((x) => x.type === 'InvalidSpec');
      assert.equal(condition?.status, 'True');
      assert.equal(condition?.reason, 'InvalidSpec');
      assert.ok(condition?.message.startsWith(`The Experiment "demo-experiment" is invalid: ${c.message}`), condition?.message);
      assert.equal(world.status.phase, 'Pending');
      assert.equal(world.status.message, condition?.message);
      assert.deepEqual(world.events.map((e) => [e.type, e.reason]), [['Warning', 'InvalidSpec']]);
    });
  }

  it('the condition goes away once the spec is fixed, and the experiment runs', () => {
    const experiment = anExperiment().build();
    experiment.spec.templates[0]!.selector = {};
    const world = new World(experiment);
    world.reconcile();
    world.reconcile();
    assert.equal(world.events.length, 1, 'the event is not repeated');
    world.experiment.spec.templates[0]!.selector = { matchLabels: { app: 'demo-experiment', template: 'baseline' } };
    world.step();
    assert.equal(world.status.conditions?.find((x) => x.type === 'InvalidSpec'), undefined);
    assert.equal(world.status.phase, 'Running');
  });

  it('a fuller validator given as an option reports first', () => {
    const world = new World(anExperiment().build());
    const decision = decideExperiment(
      { experiment: world.experiment, replicaSets: [], services: [], analysisRuns: [], now: world.now },
      { validate: () => [{ path: 'spec.templates[0].template', type: 'Invalid', detail: 'bad pod' }] },
    );
    assert.equal(decision.status.conditions?.[0]?.message, 'The Experiment "demo-experiment" is invalid: spec.templates[0].template: Invalid value: bad pod');
  });
});

describe('experiment › conditions and events', () => {
  it('Progressing: ReplicaSetUpdated while pods come up, NewReplicaSetAvailable while running, False ExperimentCompleted at the end', () => {
    const world = new World(anExperiment().withDuration('1m').build());
    world.reconcile();
    const progressing = world.status.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual(
      { status: progressing?.status, reason: progressing?.reason, message: progressing?.message },
      { status: 'True', reason: 'ReplicaSetUpdated', message: 'Experiment "demo-experiment" is progressing.' },
    );
    world.settle();
    world.advance(5);
    world.reconcile();
    assert.equal(world.status.conditions?.find((c) => c.type === 'Progressing')?.lastUpdateTime, '2026-01-01T00:00:05Z', 'progress refreshes lastUpdateTime');
    assert.equal(world.status.conditions?.find((c) => c.type === 'Progressing')?.lastTransitionTime, '2026-01-01T00:00:00Z');
    world.advance(5);
    world.reconcile();
    const running = world.status.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([running?.status, running?.reason, running?.message], ['True', 'NewReplicaSetAvailable', 'Experiment "demo-experiment" is running.']);
    world.advance(60);
    world.reconcile();
    const done = world.status.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual(
      [done?.status, done?.reason, done?.message, done?.lastTransitionTime],
      ['False', 'ExperimentCompleted', 'Experiment "demo-experiment" has successfully ran and completed.', '2026-01-01T00:01:10Z'],
    );
  });

  it('events tell the story in order', () => {
    const world = new World(anExperiment().withDuration('10s').withSpec({ scaleDownDelaySeconds: 0 }).build());
    world.step();
    world.advance(10);
    world.step();
    assert.deepEqual(world.events.map((e) => `${e.type} ${e.reason}: ${e.message}`), [
      'Normal NewReplicaSetCreated: Created ReplicaSet demo-experiment-baseline with size 1',
      "Normal TemplateProgressing: Template 'baseline' transitioned from  -> Progressing",
      'Normal ExperimentPending: Experiment transitioned from  -> Pending',
      "Normal TemplateRunning: Template 'baseline' transitioned from Progressing -> Running",
      'Normal ExperimentRunning: Experiment transitioned from Pending -> Running',
      'Normal ScalingReplicaSet: Scaled down ReplicaSet demo-experiment-baseline from 1 to 0',
      "Normal TemplateSuccessful: Template 'baseline' transitioned from Running -> Successful",
      'Normal ExperimentSuccessful: Experiment transitioned from Running -> Successful',
    ]);
  });

  it('a settled experiment decides nothing new: same status, no actions, no events', () => {
    const world = new World(anExperiment().withDuration(undefined).build());
    world.step();
    const decision = world.decide();
    assert.deepEqual(decision.actions, []);
    assert.deepEqual(decision.events, []);
    assert.deepEqual(decision.status, world.experiment.status);
  });
});
