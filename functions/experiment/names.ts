// Names and ownership of the objects an Experiment creates (reference §12.3): ReplicaSet and
// (default) Service `<experiment>-<template>`, AnalysisRun `<experiment>-<analysis>`; each
// controlled by the Experiment through an ownerReference, so Kubernetes' garbage collector
// deletes them with it.
import {
  ARGO_API_VERSION,
  EXPERIMENT_NAME_ANNOTATION,
  EXPERIMENT_TEMPLATE_NAME_ANNOTATION,
  type Experiment,
  type ObjectMeta,
  type OwnerReference,
} from '../api/index.ts';

export function experimentName(experiment: Experiment): string {
  return experiment.metadata?.name ?? '';
}

/** `<experiment>-<template>`. */
export function templateReplicaSetName(experiment: Experiment, template: string): string {
  return `${experimentName(experiment)}-${template}`;
}

/**
 * `<experiment>-<analysis>`; `attempt` > 0 gives `<name>.<attempt>`, used when the name is taken
 * by a run the Experiment does not control.
 */
export function analysisRunName(experiment: Experiment, analysis: string, attempt = 0): string {
  const name = `${experimentName(experiment)}-${analysis}`;
  return attempt > 0 ? `${name}.${attempt}` : name;
}

/** The controller ownerReference every created object carries. */
export function experimentOwnerReference(experiment: Experiment): OwnerReference {
  return {
    apiVersion: ARGO_API_VERSION,
    kind: 'Experiment',
    name: experimentName(experiment),
    uid: experiment.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** `experiment.argoproj.io/name` and `experiment.argoproj.io/template-name`. */
export function templateAnnotations(experiment: Experiment, template: string): Record<string, string> {
  return { [EXPERIMENT_NAME_ANNOTATION]: experimentName(experiment), [EXPERIMENT_TEMPLATE_NAME_ANNOTATION]: template };
}

/**
 * Whether this Experiment controls the object: its controller ownerReference names the
 * Experiment (by uid when the Experiment has one, else by kind and name).
 */
export function controlledBy(experiment: Experiment, metadata: Pick<ObjectMeta, 'ownerReferences'> | undefined): boolean {
  const ref = metadata?.ownerReferences?.find((r) => r.controller === true);
  if (ref === undefined || ref.kind !== 'Experiment') return false;
  const uid = experiment.metadata?.uid;
  return uid ? ref.uid === uid : ref.name === experimentName(experiment);
}

/** The template an object of this Experiment belongs to (its template-name annotation), if it is one of ours. */
export function templateOf(
  experiment: Experiment,
  object: { annotations?: Readonly<Record<string, string>>; ownerReferences?: readonly OwnerReference[] },
): string | undefined {
  if (!controlledBy(experiment, { ownerReferences: object.ownerReferences as OwnerReference[] | undefined })) return undefined;
  const annotations = object.annotations ?? {};
  if (annotations[EXPERIMENT_NAME_ANNOTATION] !== experimentName(experiment)) return undefined;
  const template = annotations[EXPERIMENT_TEMPLATE_NAME_ANNOTATION];
  return template === undefined || template === '' ? undefined : template;
}
