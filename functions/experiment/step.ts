// The Experiment a canary `experiment` step creates (reference §12.4), for the Rollout decision
// core to ask for. Pure: the caller passes the Rollout, the step, and the pod templates of the
// canary (new) and stable ReplicaSets.
//
//   name         <rollout>-<podTemplateHash>-<revision>-<stepIndex>, then -1, -2, … (`attempt`)
//   owner        the Rollout (controller)
//   labels       the Rollout's labels + rollouts-pod-template-hash (+ the instance-id label)
//   annotations  rollout.argoproj.io/revision
//   spec         duration, dryRun, analysisRunMetadata, scaleDownDelaySeconds from the step;
//                progressDeadlineSeconds from the Rollout (default 600)
//   templates    one per step template, copying the pod template, selector and
//                minReadySeconds of the ReplicaSet its `specRef` names (canary → the new one,
//                stable → the stable one) without that ReplicaSet's hash; the step template's
//                metadata labels are added to the pod labels and to the selector, its
//                annotations to the pods; a Service when `service` or `weight` is set
//   analyses     name, templateName, clusterScope, requiredForCompletion; args resolved like a
//                Rollout's (value, podTemplateHashValue Stable|Latest, fieldRef of the Rollout)
import {
  ARGO_API_VERSION,
  CONTROLLER_INSTANCE_ID_LABEL,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  type Experiment,
  type ExperimentTemplate,
  type LabelSelector,
  type PodTemplateSpec,
  type Rollout,
  type RolloutExperimentStep,
  type RolloutExperimentTemplate,
} from '../api/index.ts';
import { resolveRolloutArgs } from '../analysis/rollout-args.ts';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS } from './defaults.ts';

/** What a step template copies from a ReplicaSet of the Rollout. */
export interface StepReplicaSetSource {
  template: PodTemplateSpec;
  selector: LabelSelector;
  minReadySeconds?: number;
}

export interface StepExperimentInput {
  rollout: Rollout;
  step: RolloutExperimentStep;
  stepIndex: number;
  /** The new (canary) ReplicaSet's pod-template hash. */
  podTemplateHash: string;
  /** The Rollout's revision (`rollout.argoproj.io/revision` of the new ReplicaSet). */
  revision: string;
  canary: StepReplicaSetSource;
  stable: StepReplicaSetSource;
  /** The stable ReplicaSet's hash, for `podTemplateHashValue: Stable` args. */
  stablePodTemplateHash?: string;
  /** 0 for the plain name; n > 0 gives `…-n` when the plain name is taken. */
  attempt?: number;
}

/** `<rollout>-<hash>-<revision>-<stepIndex>`, `-<attempt>` appended when attempt > 0. */
export function stepExperimentName(rolloutName: string, podTemplateHash: string, revision: string, stepIndex: number, attempt = 0): string {
  const name = `${rolloutName}-${podTemplateHash}-${revision}-${stepIndex}`;
  return attempt > 0 ? `${name}-${attempt}` : name;
}

function withoutHash(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out = { ...(labels ?? {}) };
  delete out[POD_TEMPLATE_HASH_LABEL];
  return out;
}

function stepTemplate(source: StepReplicaSetSource, t: RolloutExperimentTemplate): ExperimentTemplate {
  const extraLabels = t.metadata?.labels ?? {};
  const pod: PodTemplateSpec = structuredClone(source.template);
  pod.metadata = {
    ...(pod.metadata ?? {}),
    labels: { ...withoutHash(pod.metadata?.labels), ...extraLabels },
    ...(t.metadata?.annotations || pod.metadata?.annotations ? { annotations: { ...(pod.metadata?.annotations ?? {}), ...(t.metadata?.annotations ?? {}) } } : {}),
  };
  const selector: LabelSelector = structuredClone(source.selector);
  selector.matchLabels = { ...withoutHash(selector.matchLabels), ...extraLabels };
  if (t.selector !== undefined) {
    selector.matchLabels = { ...selector.matchLabels, ...(t.selector.matchLabels ?? {}) };
    if (t.selector.matchExpressions?.length) selector.matchExpressions = [...(selector.matchExpressions ?? []), ...structuredClone(t.selector.matchExpressions)];
  }
  const template: ExperimentTemplate = { name: t.name, replicas: t.replicas ?? 1, selector, template: pod };
  if (source.minReadySeconds !== undefined) template.minReadySeconds = source.minReadySeconds;
  if (t.service !== undefined) template.service = structuredClone(t.service);
  else if (t.weight !== undefined) template.service = {};
  return template;
}

/** The Experiment to create for the step. Throws (naming the argument) when an arg cannot be resolved. */
export function stepExperiment(input: StepExperimentInput): Experiment {
  const { rollout, step } = input;
  const rolloutName = rollout.metadata?.name ?? '';
  const labels: Record<string, string> = { ...(rollout.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: input.podTemplateHash };
  const instanceId = rollout.metadata?.labels?.[CONTROLLER_INSTANCE_ID_LABEL];
  if (instanceId) labels[CONTROLLER_INSTANCE_ID_LABEL] = instanceId;
  const argContext = {
    rollout,
    latestPodTemplateHash: input.podTemplateHash,
    ...(input.stablePodTemplateHash ? { stablePodTemplateHash: input.stablePodTemplateHash } : {}),
  };
  const experiment: Experiment = {
    apiVersion: ARGO_API_VERSION,
    kind: 'Experiment',
    metadata: {
      name: stepExperimentName(rolloutName, input.podTemplateHash, input.revision, input.stepIndex, input.attempt ?? 0),
      ...(rollout.metadata?.namespace ? { namespace: rollout.metadata.namespace } : {}),
      labels,
      annotations: { [REVISION_ANNOTATION]: input.revision },
      ownerReferences: [
        { apiVersion: ARGO_API_VERSION, kind: 'Rollout', name: rolloutName, uid: rollout.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      templates: step.templates.map((t) => stepTemplate(t.specRef === 'stable' ? input.stable : input.canary, t)),
      progressDeadlineSeconds: rollout.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
    },
  };
  if (step.duration !== undefined && step.duration !== '') experiment.spec.duration = step.duration;
  if (step.scaleDownDelaySeconds !== undefined) experiment.spec.scaleDownDelaySeconds = step.scaleDownDelaySeconds;
  if (step.dryRun?.length) experiment.spec.dryRun = structuredClone(step.dryRun);
  if (step.analysisRunMetadata) experiment.spec.analysisRunMetadata = structuredClone(step.analysisRunMetadata);
  if (step.analyses?.length) {
    experiment.spec.analyses = step.analyses.map((a) => ({
      name: a.name,
      templateName: a.templateName,
      ...(a.clusterScope ? { clusterScope: true } : {}),
      ...(a.requiredForCompletion ? { requiredForCompletion: true } : {}),
      ...(a.args?.length ? { args: resolveRolloutArgs(a.args, argContext) } : {}),
    }));
  }
  return experiment;
}
