// The Experiment of a canary `experiment` step (reference §12.4): named
// `<rollout>-<hash>-<revision>-<step>` (the first of that, `…-1`, `…-2`, … the snapshot does not
// hold), labelled with the new pod-template hash (and the instance id), annotated with the
// revision, controlled by the Rollout. Each template copies the pod template, selector and
// minReadySeconds of the canary (new) or stable ReplicaSet, plus the step's extra labels (on the
// pods and in the selector) and annotations; analyses get their args resolved like a Rollout's.
import {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  ARGO_API_VERSION,
  CONTROLLER_INSTANCE_ID_LABEL,
  type Experiment,
  type ExperimentAnalysisTemplateRef,
  type ExperimentTemplate,
  type RolloutExperimentStep,
} from '../../api/index.ts';
import { resolveRolloutArgs } from '../../analysis/index.ts';
import { instanceIdOf } from './analysis-runs.ts';
import { recordEvent, requeueIn, type Context, type WorkingReplicaSet } from './context.ts';
import { rolloutOwnerReference } from './replica-sets.ts';

const RETRY_BUILD_MS = 20_000;

function takenExperimentNames(ctx: Context): Set<string> {
  const names = new Set(ctx.snapshot.experiments.map((experiment) => experiment.metadata?.name ?? ''));
  for (const action of ctx.actions) if (action.kind === 'createExperiment') names.add(action.experiment.metadata?.name ?? '');
  return names;
}

function experimentTemplate(ctx: Context, step: RolloutExperimentStep['templates'][number], rs: WorkingReplicaSet): ExperimentTemplate {
  const view = rs.view;
  const template = structuredClone(view?.template ?? ctx.rollout.spec.template ?? {});
  const selector = structuredClone(view?.selector ?? ctx.rollout.spec.selector ?? {});
  const extraLabels = step.metadata?.labels ?? {};
  const extraAnnotations = step.metadata?.annotations ?? {};
  if (Object.keys(extraLabels).length > 0) {
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), ...extraLabels } };
    selector.matchLabels = { ...(selector.matchLabels ?? {}), ...extraLabels };
  }
  if (Object.keys(extraAnnotations).length > 0) {
    template.metadata = { ...(template.metadata ?? {}), annotations: { ...(template.metadata?.annotations ?? {}), ...extraAnnotations } };
  }
  const minReadySeconds = ctx.rollout.spec.minReadySeconds;
  return {
    name: step.name,
    ...(step.replicas !== undefined ? { replicas: step.replicas } : {}),
    ...(minReadySeconds !== undefined ? { minReadySeconds } : {}),
    selector: step.selector !== undefined ? structuredClone(step.selector) : selector,
    template,
    ...(step.service !== undefined ? { service: structuredClone(step.service) } : step.weight !== undefined ? { service: {} } : {}),
  };
}

/**
 * Plans the creation of the step's Experiment and returns it (no status: Pending). Undefined
 * when it cannot be built now (an arg that cannot be resolved yet): a Warning event says why.
 */
export function createStepExperiment(
  ctx: Context,
  step: RolloutExperimentStep,
  index: number,
  canary: WorkingReplicaSet,
  stable: WorkingReplicaSet,
): Experiment | undefined {
  const base = `${ctx.name}-${ctx.newRS.hash}-${ctx.newRS.revision}-${index}`;
  const taken = takenExperimentNames(ctx);
  let name = base;
  for (let n = 1; taken.has(name); n++) name = `${base}-${n}`;
  let analyses: ExperimentAnalysisTemplateRef[];
  try {
    analyses = (step.analyses ?? []).map((analysis) => {
      const args = resolveRolloutArgs(analysis.args, {
        rollout: ctx.rollout,
        stablePodTemplateHash: stable.hash,
        latestPodTemplateHash: canary.hash,
      });
      return {
        name: analysis.name,
        templateName: analysis.templateName,
        ...(analysis.clusterScope ? { clusterScope: true } : {}),
        ...(args.length > 0 ? { args } : {}),
        ...(analysis.requiredForCompletion !== undefined ? { requiredForCompletion: analysis.requiredForCompletion } : {}),
      };
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    recordEvent(ctx, 'ExperimentError', `Cannot create the Experiment ${name}: ${why}`, 'Warning');
    requeueIn(ctx, RETRY_BUILD_MS);
    return undefined;
  }
  const instanceId = instanceIdOf(ctx);
  const namespace = ctx.rollout.metadata?.namespace;
  const progressDeadlineSeconds = ctx.rollout.spec.progressDeadlineSeconds;
  const experiment: Experiment = {
    apiVersion: ARGO_API_VERSION,
    kind: 'Experiment',
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      labels: { [POD_TEMPLATE_HASH_LABEL]: ctx.newRS.hash, ...(instanceId !== undefined ? { [CONTROLLER_INSTANCE_ID_LABEL]: instanceId } : {}) },
      annotations: { [REVISION_ANNOTATION]: String(ctx.newRS.revision) },
      ownerReferences: [rolloutOwnerReference(ctx.rollout)],
    },
    spec: {
      templates: step.templates.map((template) => experimentTemplate(ctx, template, template.specRef === 'stable' ? stable : canary)),
      ...(step.duration !== undefined ? { duration: step.duration } : {}),
      ...(progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds } : {}),
      ...(analyses.length > 0 ? { analyses } : {}),
      ...(step.scaleDownDelaySeconds !== undefined ? { scaleDownDelaySeconds: step.scaleDownDelaySeconds } : {}),
      ...(step.dryRun !== undefined ? { dryRun: structuredClone(step.dryRun) } : {}),
      ...(step.analysisRunMetadata !== undefined ? { analysisRunMetadata: structuredClone(step.analysisRunMetadata) } : {}),
    },
  };
  ctx.actions.push({ kind: 'createExperiment', experiment });
  return experiment;
}
