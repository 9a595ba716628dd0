// decideExperiment: one Experiment's snapshot in, the actions, status, events and next wake-up
// out (reference §12). Pure: no I/O, time is `snapshot.now`.
//
// Order of a decision:
//   1. an Experiment being deleted is left alone; an invalid one only gets InvalidSpec;
//   2. each template's status from its ReplicaSet (and the progress deadline);
//   3. availableAt, once every template is Running;
//   4. each analysis: checked, started, or mirrored from its AnalysisRun;
//   5. the phase (while Pending or Running), from templates and analyses (phase.ts);
//   6. ReplicaSets and Services for the replicas wanted — the template's `replicas` until the
//      phase is final, then 0 after scaleDownDelaySeconds;
//   7. AnalysisRuns still running are terminated once the experiment is ending;
//   8. conditions, events, and the earliest time something changes without an event
//      (duration end, a template's deadline, a scale-down deadline).
import type {
  Experiment,
  ExperimentAnalysisRunStatus,
  ExperimentStatus,
  TemplateStatus,
} from '../api/index.ts';
import { isCompletedPhase } from '../analysis/phases.ts';
import { Duration } from '../values/duration.ts';
import { metaTime, parseMetaTime } from '../values/meta-time.ts';
import { nextAnalysisStatus, type AnalysisOutcome } from './analyses.ts';
import type { ExperimentArgContext } from './args.ts';
import { CONDITION_MESSAGE, CONDITION_REASON, getCondition, removeCondition, setCondition } from './conditions.ts';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS } from './defaults.ts';
import { experimentName } from './names.ts';
import { assessAnalyses, assessTemplates, experimentPhase, isTerminating } from './phase.ts';
import { experimentSpecProblems, invalidSpecMessage } from './spec-problems.ts';
import { applyTemplate, leftoverActions, nextTemplateStatus, observeTemplate, templateDeadlineMs } from './templates.ts';
import type { DecideExperimentOptions, ExperimentAction, ExperimentDecision, ExperimentEvent, ExperimentSnapshot } from './types.ts';

function durationMs(experiment: Experiment): number | undefined {
  const text = experiment.spec.duration;
  if (text === undefined || text === '') return undefined;
  return Duration.parseDurationString(text).toMilliseconds();
}

/** Milliseconds left of the duration (≤ 0 once passed); undefined without a duration or availableAt. */
function durationLeftMs(experiment: Experiment, availableAt: string | undefined, now: Date): number | undefined {
  const duration = durationMs(experiment);
  const start = parseMetaTime(availableAt);
  if (duration === undefined || start === undefined) return undefined;
  return start + duration - now.getTime();
}

function transition(from: string | undefined, to: string, message: string | undefined): string {
  return `from ${from ?? ''} -> ${to}${message ? `: ${message}` : ''}`;
}

function isWarningPhase(phase: string): boolean {
  return phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}

function invalidDecision(previous: ExperimentStatus, message: string, nowText: string): ExperimentDecision {
  const status = structuredClone(previous);
  const before = getCondition(previous.conditions, 'InvalidSpec');
  const conditions = before !== undefined && before.message !== message ? removeCondition(previous.conditions ?? [], 'InvalidSpec') : (previous.conditions ?? []);
  status.conditions = setCondition(conditions, { type: 'InvalidSpec', status: 'True', reason: CONDITION_REASON.invalidSpec, message }, nowText);
  if (!isCompletedPhase(status.phase)) {
    status.phase = 'Pending';
    status.message = message;
  }
  const events: ExperimentEvent[] = before?.message === message ? [] : [{ type: 'Warning', reason: 'InvalidSpec', message }];
  return { actions: [], status, events };
}

export function decideExperiment(snapshot: ExperimentSnapshot, options: DecideExperimentOptions = {}): ExperimentDecision {
  const experiment = snapshot.experiment;
  const previous: ExperimentStatus = structuredClone(experiment.status ?? {});
  const now = snapshot.now;
  const nowText = metaTime(now);
  const name = experimentName(experiment);

  if (experiment.metadata?.deletionTimestamp) return { actions: [], status: previous, events: [] };

  const problems = [...(options.validate?.(experiment) ?? []), ...experimentSpecProblems(experiment)];
  if (problems.length > 0) return invalidDecision(previous, invalidSpecMessage(experiment, problems[0]!), nowText);

  const spec = experiment.spec;
  const deadlineSeconds = spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  const finishedBefore = isCompletedPhase(previous.phase);
  const terminatingBefore = isTerminating(spec, previous);
  const leftBefore = durationLeftMs(experiment, previous.availableAt, now);
  const events: ExperimentEvent[] = [];

  // 2. Templates.
  const observations = spec.templates.map((template) => observeTemplate(snapshot, template, previous.templateStatuses?.find((t) => t.name === template.name)));
  const templateStatuses: TemplateStatus[] = observations.map((observation) =>
    nextTemplateStatus(observation, previous.templateStatuses?.find((t) => t.name === observation.template.name), {
      now,
      nowText,
      progressDeadlineSeconds: deadlineSeconds,
      durationPassed: leftBefore !== undefined && leftBefore <= 0,
      terminating: terminatingBefore,
    }),
  );
  const templates = assessTemplates(spec, templateStatuses);

  // 3. availableAt.
  let availableAt = previous.availableAt;
  if (availableAt === undefined && !finishedBefore && templates.phase === 'Running') availableAt = nowText;

  // 4. Analyses.
  const terminatingNow = terminatingBefore || templateStatuses.some((t) => t.status === 'Failed' || t.status === 'Error');
  const args: ExperimentArgContext = {
    templates: new Map(observations.map((o) => [o.template.name, { podTemplateHash: o.hash, replicaSetName: o.replicaSetName }])),
    ...(availableAt !== undefined ? { availableAt } : {}),
  };
  const outcomes = new Map<string, AnalysisOutcome>();
  for (const analysis of spec.analyses ?? []) {
    const before = previous.analysisRuns?.find((r) => r.name === analysis.name);
    outcomes.set(analysis.name, nextAnalysisStatus(snapshot, analysis, before, { terminating: terminatingNow, ...(availableAt !== undefined ? { availableAt } : {}), args }));
  }
  const analysisStatuses: ExperimentAnalysisRunStatus[] = [...outcomes.values()].map((o) => o.status);
  const considered = (analysis: string): boolean => {
    const outcome = outcomes.get(analysis);
    return !(outcome?.notStarted && outcome.status.phase === 'Pending' && terminatingNow);
  };

  // 5. Phase.
  const status: ExperimentStatus = { ...previous, templateStatuses };
  if (availableAt !== undefined) status.availableAt = availableAt;
  if (analysisStatuses.length > 0) status.analysisRuns = analysisStatuses;
  else delete status.analysisRuns;
  if (!finishedBefore) {
    const next = experimentPhase(spec, templates, assessAnalyses(spec, analysisStatuses, considered), analysisStatuses);
    status.phase = next.phase;
    if (next.message) status.message = next.message;
    else delete status.message;
  }
  const finished = isCompletedPhase(status.phase);
  const ending = isTerminating(spec, status);

  // 6. ReplicaSets and Services.
  const actions: ExperimentAction[] = [];
  const wakeUps: number[] = [];
  observations.forEach((observation, i) => {
    const desired = finished ? 0 : observation.wanted;
    const plan = applyTemplate(experiment, observation, templateStatuses[i]!, desired, { now, nowText, ending });
    actions.push(...plan.actions);
    events.push(...plan.events);
    if (plan.wakeUpMs !== undefined) wakeUps.push(plan.wakeUpMs);
  });
  actions.push(...leftoverActions(snapshot));

  // 7. AnalysisRuns: create the new ones, terminate the ones an ending experiment no longer needs.
  for (const [analysis, outcome] of outcomes) {
    if (outcome.create !== undefined) actions.push({ kind: 'createAnalysisRun', analysis, analysisRun: outcome.create });
    const run = outcome.run;
    if (ending && run !== undefined && !isCompletedPhase(run.status?.phase) && run.spec.terminate !== true && !run.metadata?.deletionTimestamp) {
      actions.push({ kind: 'terminateAnalysisRun', analysis, name: run.metadata?.name ?? '' });
      events.push({ type: 'Normal', reason: 'AnalysisRunTerminating', message: `Terminating analysis '${analysis}' (AnalysisRun ${run.metadata?.name ?? ''})` });
    }
  }

  // 8. Conditions.
  const conditionsBefore = removeCondition(previous.conditions ?? [], 'InvalidSpec');
  let conditions = conditionsBefore;
  const progressed = templateStatuses.some((t) => {
    const before = previous.templateStatuses?.find((p) => p.name === t.name);
    return before === undefined || before.replicas !== t.replicas || before.updatedReplicas !== t.updatedReplicas || before.readyReplicas !== t.readyReplicas || before.availableReplicas !== t.availableReplicas;
  });
  const leftNow = durationLeftMs(experiment, availableAt, now);
  if (finished) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'False', reason: CONDITION_REASON.completed, message: CONDITION_MESSAGE.completed(name) }, nowText);
  } else if (progressed) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: CONDITION_REASON.replicaSetUpdated, message: CONDITION_MESSAGE.progressing(name) }, nowText, true);
  } else if (availableAt !== undefined && (leftNow === undefined || leftNow > 0)) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: CONDITION_REASON.newReplicaSetAvailable, message: CONDITION_MESSAGE.running(name) }, nowText);
  }
  if (conditions.length > 0) status.conditions = conditions;
  else delete status.conditions;

  // Events: template, analysis and experiment transitions.
  for (const t of templateStatuses) {
    const before = previous.templateStatuses?.find((p) => p.name === t.name)?.status;
    if (t.status !== undefined && t.status !== before) {
      events.push({
        type: t.status === 'Failed' || t.status === 'Error' ? 'Warning' : 'Normal',
        reason: `Template${t.status}`,
        message: `Template '${t.name}' transitioned ${transition(before, t.status, t.message)}`,
      });
    }
  }
  for (const a of analysisStatuses) {
    const prior = previous.analysisRuns?.find((p) => p.name === a.name);
    const before = prior === undefined || (prior.phase === 'Pending' && !prior.analysisRun) ? undefined : prior.phase;
    const after = a.phase === 'Pending' && !a.analysisRun ? undefined : a.phase;
    if (after !== undefined && after !== before) {
      events.push({
        type: isWarningPhase(after) ? 'Warning' : 'Normal',
        reason: `AnalysisRun${after}`,
        message: `AnalysisRun '${a.name}' transitioned ${transition(before, after, a.message)}`,
        alsoOnOwnerRollout: true,
      });
    }
  }
  if (status.phase !== undefined && status.phase !== previous.phase) {
    events.push({
      type: isWarningPhase(status.phase) ? 'Warning' : 'Normal',
      reason: `Experiment${status.phase}`,
      message: `Experiment transitioned ${transition(previous.phase, status.phase, status.message)}`,
    });
  }

  // When to look again.
  if (!finished) {
    if (leftNow !== undefined && leftNow > 0) wakeUps.push(leftNow);
    for (const t of templateStatuses) {
      const ms = templateDeadlineMs(t, deadlineSeconds, now);
      if (ms !== undefined) wakeUps.push(ms);
    }
  }
  const decision: ExperimentDecision = { actions, status, events };
  if (wakeUps.length > 0) decision.requeueAfterMs = Math.max(0, Math.min(...wakeUps));
  return decision;
}
