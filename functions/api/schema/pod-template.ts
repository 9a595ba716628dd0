// A deliberately partial core/v1 PodTemplateSpec. The fields Ramp reads, writes or compares are
// declared and typed; every other pod and container field is kept as sent
// (x-kubernetes-preserve-unknown-fields), so the CRD stays small, the API server still accepts
// it as structural, and `kubectl explain rollout.spec.template.spec.containers` is useful.
// docs/api.md explains the choice.
import Type, { type Static } from 'typebox';
import { PodTemplateMetadataSchema } from './meta.ts';
import { PRESERVE_UNKNOWN_FIELDS, freeFormObject, int32, int64, intOrString, mapOf, str, stringMap } from './primitives.ts';

export const ContainerPortSchema = Type.Object(
  {
    containerPort: int32('Port number on the pod IP.'),
    name: Type.Optional(str('IANA_SVC_NAME, unique within the pod; Services may refer to it.')),
    protocol: Type.Optional(str('TCP (default), UDP or SCTP.')),
    hostPort: Type.Optional(int32()),
    hostIP: Type.Optional(str()),
  },
  { description: 'A network port of a container. Experiments create one Service port per container port.' },
);
export type ContainerPort = Static<typeof ContainerPortSchema>;

export const EnvVarSchema = Type.Object(
  {
    name: str(),
    value: Type.Optional(str()),
    valueFrom: Type.Optional(freeFormObject('Source of the value (secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef).')),
  },
  { description: 'An environment variable of a container.' },
);
export type EnvVar = Static<typeof EnvVarSchema>;

export const ResourceRequirementsSchema = Type.Object(
  {
    limits: Type.Optional(mapOf(intOrString(), 'Maximum compute resources, e.g. {cpu: 500m, memory: 128Mi}.')),
    requests: Type.Optional(mapOf(intOrString(), 'Minimum compute resources the scheduler reserves.')),
  },
  { ...PRESERVE_UNKNOWN_FIELDS, description: 'Compute resources of a container. Quantities are not parsed here.' },
);
export type ResourceRequirements = Static<typeof ResourceRequirementsSchema>;

export const ContainerSchema = Type.Object(
  {
    name: str('Container name, unique within the pod.'),
    image: Type.Optional(str('Container image reference.')),
    imagePullPolicy: Type.Optional(str('Always, Never or IfNotPresent.')),
    command: Type.Optional(Type.Array(Type.String(), { description: 'Entrypoint array; the image ENTRYPOINT when empty.' })),
    args: Type.Optional(Type.Array(Type.String(), { description: 'Arguments to the entrypoint.' })),
    workingDir: Type.Optional(str('Working directory of the entrypoint.')),
    ports: Type.Optional(Type.Array(ContainerPortSchema, { description: 'Ports the container exposes.' })),
    env: Type.Optional(Type.Array(EnvVarSchema, { description: 'Environment variables.' })),
    resources: Type.Optional(ResourceRequirementsSchema),
  },
  {
    ...PRESERVE_UNKNOWN_FIELDS,
    description: 'A core/v1 Container. Fields not declared here (probes, securityContext, volumeMounts, …) are kept as sent.',
  },
);
export type Container = Static<typeof ContainerSchema>;

export const PodSpecSchema = Type.Object(
  {
    containers: Type.Array(ContainerSchema, { description: 'The pod\'s containers; at least one.' }),
    initContainers: Type.Optional(Type.Array(ContainerSchema)),
    restartPolicy: Type.Optional(str('Always for pods of a Rollout or Experiment; OnFailure or Never for Jobs.')),
    serviceAccountName: Type.Optional(str()),
    terminationGracePeriodSeconds: Type.Optional(int64()),
    nodeSelector: Type.Optional(stringMap()),
    affinity: Type.Optional(freeFormObject('core/v1 Affinity; Ramp appends its anti-affinity term here.')),
    tolerations: Type.Optional(Type.Array(freeFormObject())),
    volumes: Type.Optional(Type.Array(freeFormObject())),
  },
  {
    ...PRESERVE_UNKNOWN_FIELDS,
    description: 'A core/v1 PodSpec. Fields not declared here are kept as sent; the API server validates them when it creates pods.',
  },
);
export type PodSpec = Static<typeof PodSpecSchema>;

export const PodTemplateSpecSchema = Type.Object(
  {
    metadata: Type.Optional(PodTemplateMetadataSchema),
    spec: Type.Optional(PodSpecSchema),
  },
  { description: 'Template of the pods to create (core/v1 PodTemplateSpec).' },
);
export type PodTemplateSpec = Static<typeof PodTemplateSpecSchema>;

/** batch/v1 JobSpec, for job metrics: `template` declared, everything else kept as sent. */
export const JobSpecSchema = Type.Object(
  {
    template: PodTemplateSpecSchema,
    backoffLimit: Type.Optional(int32()),
    activeDeadlineSeconds: Type.Optional(int64()),
    ttlSecondsAfterFinished: Type.Optional(int32()),
    parallelism: Type.Optional(int32()),
    completions: Type.Optional(int32()),
  },
  { ...PRESERVE_UNKNOWN_FIELDS, description: 'A batch/v1 JobSpec. Fields not declared here are kept as sent.' },
);
export type JobSpec = Static<typeof JobSpecSchema>;
