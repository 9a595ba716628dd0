// Analysis and experiment gates: which of the AnalysisRuns and Experiments the Rollout owns
// are the ones it waits on — read from the snapshot by the labels and names Argo gives them
// (reference §11.6, §12.4) — and how it lets go of them. Runs with `spec.terminate: true` (or
// being deleted) are no longer current and are never waited on: on abort the decision
// terminates the runs of the update, so that a retry creates fresh ones, as in Argo. Creating
// runs and experiments is in analysis-runs.ts and experiments.ts.
import {
  POD_TEMPLATE_HASH_LABEL,
  ROLLOUT_TYPE_LABEL,
  STEP_INDEX_LABEL,
  type AnalysisPhase,
  type AnalysisRun,
  type Experiment,
  type ObjectMeta,
  type RolloutAnalysisRunStatus,
} from '../../api/index.ts';
import type { Context } from './context.ts';

export type AnalysisRunType = 'Step' | 'Background' | 'PrePromotion' | 'PostPromotion';

function ownedByRollout(ctx: Context, metadata: ObjectMeta | undefined): boolean {
  const controllerRef = metadata?.ownerReferences?.find((ref) => ref.controller === true);
  if (controllerRef === undefined) return false;
  if (controllerRef.kind !== 'Rollout') return false;
  const uid = ctx.rollout.metadata?.uid;
  return uid ? controllerRef.uid === uid : controllerRef.name === ctx.name;
}

function newestFirst(a: { metadata?: ObjectMeta }, b: { metadata?: ObjectMeta }): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return tb - ta;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? 1 : na > nb ? -1 : 0;
}

function isCurrent(object: { metadata?: ObjectMeta; spec: { terminate?: boolean } }): boolean {
  return object.metadata?.deletionTimestamp === undefined && object.spec.terminate !== true;
}

/** AnalysisRuns of the update (owned, for the new pod-template hash) of one type, current ones only. */
export function analysisRunsOf(ctx: Context, type: AnalysisRunType, stepIndex?: number): AnalysisRun[] {
  return ctx.snapshot.analysisRuns
    .filter((run) => {
      const labels = run.metadata?.labels ?? {};
      return (
        ownedByRollout(ctx, run.metadata) &&
        labels[ROLLOUT_TYPE_LABEL] === type &&
        labels[POD_TEMPLATE_HASH_LABEL] === ctx.newRS.hash &&
        (stepIndex === undefined || labels[STEP_INDEX_LABEL] === String(stepIndex)) &&
        isCurrent(run)
      );
    })
    .sort(newestFirst);
}

/** The run the rollout waits on: the one named in status if it is still current, else the newest. */
export function currentAnalysisRun(
  ctx: Context,
  type: AnalysisRunType,
  recorded: RolloutAnalysisRunStatus | undefined,
  stepIndex?: number,
): AnalysisRun | undefined {
  const runs = analysisRunsOf(ctx, type, stepIndex);
  return runs.find((run) => run.metadata?.name === recorded?.name) ?? runs[0];
}

export function phaseOf(object: { status?: { phase?: AnalysisPhase } }): AnalysisPhase {
  return object.status?.phase ?? 'Pending';
}

export function runStatus(run: AnalysisRun): RolloutAnalysisRunStatus {
  const message = run.status?.message;
  return { name: run.metadata?.name ?? '', status: phaseOf(run), ...(message ? { message } : {}) };
}

/** `<rollout>-<hash>-<revision>-<step>` and its collision variants `…-1`, `…-2`. */
function isStepExperimentName(ctx: Context, name: string, stepIndex: number): boolean {
  const base = `${ctx.name}-${ctx.newRS.hash}-${ctx.newRS.revision}-${stepIndex}`;
  return name === base || new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`).test(name);
}

/** The experiment of a canary experiment step: the one named in status if current, else the newest. */
export function currentStepExperiment(ctx: Context, stepIndex: number, recorded: string | undefined): Experiment | undefined {
  const experiments = ctx.snapshot.experiments
    .filter((experiment) => {
      const name = experiment.metadata?.name ?? '';
      return (
        ownedByRollout(ctx, experiment.metadata) &&
        experiment.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === ctx.newRS.hash &&
        isStepExperimentName(ctx, name, stepIndex) &&
        isCurrent(experiment)
      );
    })
    .sort(newestFirst);
  return experiments.find((e) => e.metadata?.name === recorded) ?? experiments[0];
}

/**
 * Terminates every current AnalysisRun and Experiment of the update that `keep` does not
 * spare (on abort: all of them; on full promotion: those still running).
 */
export function terminateRuns(ctx: Context, keep: (object: AnalysisRun | Experiment) => boolean = () => false): void {
  for (const run of ctx.snapshot.analysisRuns) {
    const labels = run.metadata?.labels ?? {};
    if (!ownedByRollout(ctx, run.metadata) || labels[POD_TEMPLATE_HASH_LABEL] !== ctx.newRS.hash || !isCurrent(run) || keep(run)) continue;
    ctx.actions.push({ kind: 'terminateAnalysisRun', name: run.metadata?.name ?? '' });
  }
  for (const experiment of ctx.snapshot.experiments) {
    const labels = experiment.metadata?.labels ?? {};
    if (!ownedByRollout(ctx, experiment.metadata) || labels[POD_TEMPLATE_HASH_LABEL] !== ctx.newRS.hash || !isCurrent(experiment) || keep(experiment)) {
      continue;
    }
    ctx.actions.push({ kind: 'terminateExperiment', name: experiment.metadata?.name ?? '' });
  }
}

export function terminateRun(ctx: Context, run: AnalysisRun): void {
  ctx.actions.push({ kind: 'terminateAnalysisRun', name: run.metadata?.name ?? '' });
}

/** "failed" / "error" as Argo writes the phase inside abort messages. */
export function abortDetail(prefix: string, phase: AnalysisPhase, message: string | undefined): string {
  return `${prefix} ${phase.toLowerCase()}${message ? `: ${message}` : ''}`;
}

export function isRunning(phase: AnalysisPhase): boolean {
  return phase === 'Pending' || phase === 'Running';
}
