// One experiment analysis (reference §12.3):
//
// - until every template is available, only the AnalysisTemplate's existence is checked
//   (missing ⇒ Error "AnalysisTemplate verification failed for analysis 'a': …");
// - then AnalysisRun `<experiment>-<analysis>` is created from the template with the
//   experiment's args (placeholders resolved), dryRun, measurementRetention and
//   analysisRunMetadata; owned by the Experiment; the instance-id label copied; a name taken by
//   a run the Experiment does not control moves on to `<name>.1`, `<name>.2`, …;
// - its phase and message are mirrored into status.analysisRuns until they are final;
// - an ending experiment starts no run, and terminates (`spec.terminate: true`) the ones still
//   running.
import {
  CONTROLLER_INSTANCE_ID_LABEL,
  type AnalysisRun,
  type Experiment,
  type ExperimentAnalysisRunStatus,
  type ExperimentAnalysisTemplateRef,
} from '../api/index.ts';
import { isCompletedPhase } from '../analysis/phases.ts';
import { newAnalysisRun, resolveTemplateRefs, type TemplateLike, type TemplateLookup } from '../analysis/templates.ts';
import { resolveExperimentArgs, type ExperimentArgContext } from './args.ts';
import { analysisRunName, controlledBy, experimentOwnerReference } from './names.ts';
import type { ExperimentSnapshot } from './types.ts';

/** How many `<name>.N` variants are tried when the name is taken by someone else's run. */
const MAX_NAME_ATTEMPTS = 10;

export interface AnalysisOutcome {
  status: ExperimentAnalysisRunStatus;
  /** The run the status mirrors, when it exists. */
  run?: AnalysisRun;
  /** A run to create now. */
  create?: AnalysisRun;
  /** No run was ever created for it. */
  notStarted: boolean;
}

export interface AnalysisInput {
  terminating: boolean;
  /** status.availableAt as it will be written; runs start once it is set. */
  availableAt?: string;
  args: ExperimentArgContext;
}

function templateLookup(snapshot: ExperimentSnapshot): TemplateLookup {
  const namespace = snapshot.experiment.metadata?.namespace;
  return {
    template: (name) =>
      snapshot.analysisTemplates?.find((t) => t.metadata?.name === name && (namespace === undefined || t.metadata?.namespace === undefined || t.metadata.namespace === namespace)) as
        | TemplateLike
        | undefined,
    clusterTemplate: (name) => snapshot.clusterAnalysisTemplates?.find((t) => t.metadata?.name === name) as TemplateLike | undefined,
  };
}

function templatesFor(snapshot: ExperimentSnapshot, analysis: ExperimentAnalysisTemplateRef): TemplateLike[] {
  return resolveTemplateRefs([{ templateName: analysis.templateName, ...(analysis.clusterScope ? { clusterScope: true } : {}) }], templateLookup(snapshot));
}

/** The run this analysis has: the one status names, else one of ours under a name it would get. */
function findRun(snapshot: ExperimentSnapshot, analysis: string, recorded: string | undefined): { run?: AnalysisRun; freeName?: string } {
  const experiment = snapshot.experiment;
  const byName = (name: string) => snapshot.analysisRuns.find((r) => r.metadata?.name === name);
  if (recorded) {
    const run = byName(recorded);
    if (run !== undefined && controlledBy(experiment, run.metadata)) return { run };
  }
  for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
    const name = analysisRunName(experiment, analysis, attempt);
    const existing = byName(name);
    if (existing === undefined) return { freeName: name };
    if (controlledBy(experiment, existing.metadata)) return { run: existing };
  }
  return {};
}

/** The AnalysisRun to create for this analysis. Throws with the reason it cannot be made. */
export function analysisRunFor(snapshot: ExperimentSnapshot, analysis: ExperimentAnalysisTemplateRef, name: string, args: ExperimentArgContext): AnalysisRun {
  const experiment: Experiment = snapshot.experiment;
  const templates = templatesFor(snapshot, analysis);
  const resolvedArgs = resolveExperimentArgs(analysis.args, experiment, args);
  const labels: Record<string, string> = {};
  const instanceId = experiment.metadata?.labels?.[CONTROLLER_INSTANCE_ID_LABEL];
  if (instanceId) labels[CONTROLLER_INSTANCE_ID_LABEL] = instanceId;
  Object.assign(labels, experiment.spec.analysisRunMetadata?.labels);
  return newAnalysisRun({
    templates,
    args: resolvedArgs,
    ...(experiment.spec.dryRun ? { dryRun: experiment.spec.dryRun } : {}),
    ...(experiment.spec.measurementRetention ? { measurementRetention: experiment.spec.measurementRetention } : {}),
    name,
    namespace: experiment.metadata?.namespace ?? '',
    labels,
    annotations: { ...experiment.spec.analysisRunMetadata?.annotations },
    ownerReferences: [experimentOwnerReference(experiment)],
  });
}

export function nextAnalysisStatus(
  snapshot: ExperimentSnapshot,
  analysis: ExperimentAnalysisTemplateRef,
  previous: ExperimentAnalysisRunStatus | undefined,
  input: AnalysisInput,
): AnalysisOutcome {
  const name = analysis.name;
  const base: ExperimentAnalysisRunStatus = previous ? structuredClone(previous) : { name, analysisRun: '', phase: 'Pending' };
  const found = findRun(snapshot, name, previous?.analysisRun);
  if (previous !== undefined && isCompletedPhase(previous.phase)) {
    return { status: base, ...(found.run ? { run: found.run } : {}), notStarted: !previous.analysisRun };
  }
  if (found.run !== undefined) {
    const run = found.run;
    const status: ExperimentAnalysisRunStatus = { name, analysisRun: run.metadata?.name ?? '', phase: run.status?.phase || 'Pending' };
    if (run.status?.message) status.message = run.status.message;
    return { status, run, notStarted: false };
  }
  if (previous?.analysisRun) {
    return { status: { name, analysisRun: previous.analysisRun, phase: 'Error', message: `AnalysisRun "${previous.analysisRun}" no longer exists` }, notStarted: false };
  }
  if (input.terminating) return { status: base, notStarted: true };
  if (input.availableAt === undefined) {
    try {
      templatesFor(snapshot, analysis);
      return { status: base, notStarted: true };
    } catch (error) {
      const kind = analysis.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      return { status: { name, analysisRun: '', phase: 'Error', message: `${kind} verification failed for analysis '${name}': ${(error as Error).message}` }, notStarted: true };
    }
  }
  if (found.freeName === undefined) {
    const message = `Failed to create AnalysisRun for analysis '${name}': the names ${analysisRunName(snapshot.experiment, name)} to ${analysisRunName(snapshot.experiment, name, MAX_NAME_ATTEMPTS - 1)} are all taken by AnalysisRuns this Experiment does not control`;
    return { status: { name, analysisRun: '', phase: 'Error', message }, notStarted: true };
  }
  try {
    const run = analysisRunFor(snapshot, analysis, found.freeName, input.args);
    return { status: { name, analysisRun: found.freeName, phase: 'Pending' }, create: run, notStarted: false };
  } catch (error) {
    return { status: { name, analysisRun: '', phase: 'Error', message: `Failed to create AnalysisRun for analysis '${name}': ${(error as Error).message}` }, notStarted: true };
  }
}
