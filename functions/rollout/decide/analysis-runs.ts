// The AnalysisRuns a Rollout creates (reference §11.6): built from the templates in the
// snapshot with `newAnalysisRun`, named `<rollout>-<hash>-<revision>[-<step>|-pre|-post]`
// (the first of `<name>`, `<name>.1`, … no run in the snapshot holds), labelled and annotated as
// Argo does, controlled by the Rollout. Also: the status mirror of a run with its
// `AnalysisRun<Phase>` events, and the history limits that keep old runs from piling up.
import {
  CONTROLLER_INSTANCE_ID_LABEL,
  type AnalysisPhase,
  type AnalysisRun,
  type Experiment,
  type RolloutAnalysis,
  type RolloutAnalysisRunStatus,
} from '../../api/index.ts';
import {
  analysisRunsToDelete,
  isCompletedPhase,
  newAnalysisRun,
  resolveRolloutArgs,
  resolveTemplateRefs,
  rolloutAnalysisRunAnnotations,
  rolloutAnalysisRunLabels,
  rolloutAnalysisRunName,
  type RolloutAnalysisKind,
  type RolloutAnalysisRunIdentity,
} from '../../analysis/index.ts';
import { templateLookup } from './analysis-references.ts';
import { recordEvent, requeueIn, type Context } from './context.ts';
import type { AnalysisRunType } from './gates.ts';
import { rolloutOwnerReference } from './replica-sets.ts';

/** When a run cannot be built after all (e.g. a Stable hash arg before there is a stable ReplicaSet), look again this soon. */
const RETRY_BUILD_MS = 20_000;

const TYPE_OF: Record<RolloutAnalysisKind['kind'], AnalysisRunType> = {
  step: 'Step',
  background: 'Background',
  prePromotion: 'PrePromotion',
  postPromotion: 'PostPromotion',
};

/** The Rollout's --instance-id label, copied onto what it creates so the same controller sees it. */
export function instanceIdOf(ctx: Context): string | undefined {
  return ctx.rollout.metadata?.labels?.[CONTROLLER_INSTANCE_ID_LABEL] || undefined;
}

/** Names of AnalysisRuns the snapshot holds or this pass creates. */
function takenRunNames(ctx: Context): Set<string> {
  const names = new Set(ctx.snapshot.analysisRuns.map((run) => run.metadata?.name ?? ''));
  for (const action of ctx.actions) if (action.kind === 'createAnalysisRun') names.add(action.analysisRun.metadata?.name ?? '');
  return names;
}

/**
 * Plans the creation of the run `analysis` asks for and returns it (no status yet: Pending).
 * Undefined when it cannot be built now; a Warning event says why and the decision looks again.
 */
export function createAnalysisRun(ctx: Context, analysis: RolloutAnalysis, kind: RolloutAnalysisKind): AnalysisRun | undefined {
  const revision = String(ctx.newRS.revision);
  const instanceId = instanceIdOf(ctx);
  const id: RolloutAnalysisRunIdentity = {
    rolloutName: ctx.name,
    podTemplateHash: ctx.newRS.hash,
    revision,
    analysis: kind,
    ...(instanceId !== undefined ? { instanceId } : {}),
  };
  const taken = takenRunNames(ctx);
  let attempt = 0;
  while (taken.has(rolloutAnalysisRunName(id, attempt))) attempt += 1;
  const name = rolloutAnalysisRunName(id, attempt);
  let run: AnalysisRun;
  try {
    const templates = resolveTemplateRefs(analysis.templates ?? [], templateLookup(ctx.snapshot));
    const args = resolveRolloutArgs(analysis.args, {
      rollout: ctx.rollout,
      ...(ctx.status.stableRS ? { stablePodTemplateHash: ctx.status.stableRS } : {}),
      latestPodTemplateHash: ctx.newRS.hash,
    });
    run = newAnalysisRun({
      templates,
      args,
      ...(analysis.dryRun !== undefined ? { dryRun: analysis.dryRun } : {}),
      ...(analysis.measurementRetention !== undefined ? { measurementRetention: analysis.measurementRetention } : {}),
      name,
      namespace: ctx.rollout.metadata?.namespace ?? '',
      labels: rolloutAnalysisRunLabels(id, {
        ...(analysis.analysisRunMetadata?.labels !== undefined ? { metadataLabels: analysis.analysisRunMetadata.labels } : {}),
        ...(ctx.rollout.spec.selector?.matchLabels !== undefined ? { selectorLabels: ctx.rollout.spec.selector.matchLabels } : {}),
      }),
      annotations: rolloutAnalysisRunAnnotations(revision, analysis.analysisRunMetadata?.annotations),
      ownerReferences: [rolloutOwnerReference(ctx.rollout)],
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    recordEvent(ctx, 'AnalysisRunError', `Cannot create the ${TYPE_OF[kind.kind]} AnalysisRun ${name}: ${why}`, 'Warning');
    requeueIn(ctx, RETRY_BUILD_MS);
    return undefined;
  }
  if (!run.metadata?.namespace) delete run.metadata?.namespace;
  ctx.actions.push({ kind: 'createAnalysisRun', analysisRun: run });
  return run;
}

function phaseOf(object: { status?: { phase?: AnalysisPhase } }): AnalysisPhase {
  return object.status?.phase ?? 'Pending';
}

/**
 * The status mirror of `run` (`{name, status, message}`), with Argo's event when its phase moved:
 * `AnalysisRun<Phase>` "<Type> Analysis Run '<name>' Status New: '<p>' Previous: '<q>'"
 * (Warning for Failed and Error). A run not started yet is mirrored as Pending, without event.
 */
export function mirrorRun(ctx: Context, type: AnalysisRunType, previous: RolloutAnalysisRunStatus | undefined, run: AnalysisRun): RolloutAnalysisRunStatus {
  const name = run.metadata?.name ?? '';
  const phase = phaseOf(run);
  const message = run.status?.message;
  const changed = previous === undefined || previous.name !== name || previous.status !== phase;
  if (phase !== 'Pending' && changed) {
    const before = previous !== undefined && previous.name === name ? previous.status : 'NoPreviousStatus';
    recordEvent(
      ctx,
      `AnalysisRun${phase}`,
      `${type} Analysis Run '${name}' Status New: '${phase}' Previous: '${before}'`,
      phase === 'Failed' || phase === 'Error' ? 'Warning' : 'Normal',
    );
  }
  return { name, status: phase, ...(message ? { message } : {}) };
}

/**
 * Mirrors that name a run the rollout no longer waits on (terminated on abort or promotion)
 * still follow it while it exists, so the status shows how it ended.
 */
export function refreshMirrors(ctx: Context): void {
  const refresh = (current: RolloutAnalysisRunStatus | undefined): RolloutAnalysisRunStatus | undefined => {
    if (current === undefined) return undefined;
    const run = ctx.snapshot.analysisRuns.find((r) => r.metadata?.name === current.name);
    if (run === undefined) return current;
    const message = run.status?.message;
    return { name: current.name, status: phaseOf(run), ...(message ? { message } : {}) };
  };
  const canary = ctx.status.canary;
  if (canary !== undefined) {
    const step = refresh(canary.currentStepAnalysisRunStatus);
    if (step !== undefined) canary.currentStepAnalysisRunStatus = step;
    const background = refresh(canary.currentBackgroundAnalysisRunStatus);
    if (background !== undefined) canary.currentBackgroundAnalysisRunStatus = background;
  }
  const blueGreen = ctx.status.blueGreen;
  if (blueGreen !== undefined) {
    const pre = refresh(blueGreen.prePromotionAnalysisRunStatus);
    if (pre !== undefined) blueGreen.prePromotionAnalysisRunStatus = pre;
    const post = refresh(blueGreen.postPromotionAnalysisRunStatus);
    if (post !== undefined) blueGreen.postPromotionAnalysisRunStatus = post;
  }
}

function controlledByRollout(ctx: Context, object: AnalysisRun | Experiment): boolean {
  const ref = object.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (ref === undefined || ref.kind !== 'Rollout') return false;
  const uid = ctx.rollout.metadata?.uid;
  return uid ? ref.uid === uid : ref.name === ctx.name;
}

/**
 * Deletes completed AnalysisRuns and Experiments of the Rollout beyond
 * `spec.analysis.successfulRunHistoryLimit` / `unsuccessfulRunHistoryLimit` (default 5 each,
 * newest kept). Running ones, and the ones the status names, are never deleted; a terminated run
 * is deleted once it has completed.
 */
export function cleanUpAnalysisHistory(ctx: Context): void {
  const limits = ctx.rollout.spec.analysis ?? {};
  const status = ctx.status;
  const inUse = new Set(
    [
      status.canary?.currentStepAnalysisRunStatus?.name,
      status.canary?.currentBackgroundAnalysisRunStatus?.name,
      status.blueGreen?.prePromotionAnalysisRunStatus?.name,
      status.blueGreen?.postPromotionAnalysisRunStatus?.name,
      status.canary?.currentExperiment,
    ].filter((n): n is string => !!n),
  );
  const runs = ctx.snapshot.analysisRuns.filter((run) => controlledByRollout(ctx, run));
  for (const run of analysisRunsToDelete(runs, limits, inUse)) {
    ctx.actions.push({ kind: 'deleteAnalysisRun', name: run.metadata?.name ?? '', ...(run.metadata?.uid ? { uid: run.metadata.uid } : {}) });
  }
  // Experiments follow the same limits (reference §12.4); their phases are AnalysisPhases too.
  const experiments = ctx.snapshot.experiments.filter((experiment) => controlledByRollout(ctx, experiment));
  const asRuns = experiments.map((experiment): AnalysisRun => ({
    ...(experiment.metadata !== undefined ? { metadata: experiment.metadata } : {}),
    spec: { metrics: [] },
    ...(experiment.status?.phase !== undefined ? { status: { phase: experiment.status.phase } } : {}),
  }));
  for (const old of analysisRunsToDelete(asRuns, limits, inUse)) {
    const name = old.metadata?.name ?? '';
    if (!isCompletedPhase(old.status?.phase)) continue;
    ctx.actions.push({ kind: 'deleteExperiment', name, ...(old.metadata?.uid ? { uid: old.metadata.uid } : {}) });
  }
}
