// The ReplicaSet and the Service of one experiment template (reference §12.3).
//
// ReplicaSet `<experiment>-<template>`: the template's pod template with the
// `rollouts-pod-template-hash` label added to the pod labels and to the selector, the pod
// labels and the hash as its own labels, annotations `experiment.argoproj.io/name` and
// `experiment.argoproj.io/template-name`, controlled by the Experiment.
//
// Service (when `service` is set): named `service.name` or like the ReplicaSet, one port per
// container port (name and protocol copied, targetPort = the port), the same annotations and
// owner. Its selector is the pods' labels, hash included, so it selects exactly this
// template's pods (Argo selects on the hash label alone, which also matches the pods of
// another Experiment running the same pod template).
import { POD_TEMPLATE_HASH_LABEL, type Experiment, type ExperimentTemplate, type PodTemplateSpec } from '../api/index.ts';
import { podTemplateHash } from '../rollout/decide/hashing.ts';
import { experimentOwnerReference, templateAnnotations, templateReplicaSetName } from './names.ts';
import type { ReplicaSetManifest, ServiceManifest } from './types.ts';

/** The template's pod-template hash (its collision count, if any, taken into account). */
export function templateHash(template: ExperimentTemplate, collisionCount?: number): string {
  return podTemplateHash(template.template, collisionCount);
}

/** The pod template as the ReplicaSet runs it: the hash label added. */
export function podTemplateWithHash(template: ExperimentTemplate, hash: string): PodTemplateSpec {
  const pod: PodTemplateSpec = structuredClone(template.template ?? {});
  pod.metadata = { ...(pod.metadata ?? {}), labels: { ...(pod.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
  return pod;
}

export function templateReplicaSet(
  experiment: Experiment,
  template: ExperimentTemplate,
  replicas: number,
  collisionCount?: number,
): ReplicaSetManifest {
  const hash = templateHash(template, collisionCount);
  const pod = podTemplateWithHash(template, hash);
  const selector = structuredClone(template.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: templateReplicaSetName(experiment, template.name),
      ...(experiment.metadata?.namespace ? { namespace: experiment.metadata.namespace } : {}),
      labels: { ...(pod.metadata?.labels ?? {}) },
      annotations: templateAnnotations(experiment, template.name),
      ownerReferences: [experimentOwnerReference(experiment)],
    },
    spec: {
      replicas,
      ...(template.minReadySeconds !== undefined ? { minReadySeconds: template.minReadySeconds } : {}),
      selector,
      template: pod,
    },
  };
}

/** One Service port per container port; empty when the pods expose none (then no Service is made). */
export function servicePorts(pod: PodTemplateSpec | undefined): ServiceManifest['spec']['ports'] {
  const ports: ServiceManifest['spec']['ports'] = [];
  for (const container of pod?.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      ports.push({
        ...(port.name ? { name: port.name } : {}),
        ...(port.protocol ? { protocol: port.protocol } : {}),
        port: port.containerPort,
        targetPort: port.containerPort,
      });
    }
  }
  return ports;
}

/** `service.name`, or the ReplicaSet's name. */
export function templateServiceName(experiment: Experiment, template: ExperimentTemplate): string {
  return template.service?.name || templateReplicaSetName(experiment, template.name);
}

export function templateService(experiment: Experiment, template: ExperimentTemplate, hash: string): ServiceManifest {
  const pod = podTemplateWithHash(template, hash);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: templateServiceName(experiment, template),
      ...(experiment.metadata?.namespace ? { namespace: experiment.metadata.namespace } : {}),
      annotations: templateAnnotations(experiment, template.name),
      ownerReferences: [experimentOwnerReference(experiment)],
    },
    spec: { selector: { ...(pod.metadata?.labels ?? {}) }, ports: servicePorts(pod) },
  };
}
