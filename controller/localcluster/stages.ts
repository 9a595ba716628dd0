// KWOK configuration: the stages that stand in for kubelets. Pure: returns YAML text.
//
// What the stages do (KWOK plays the first stage whose selector matches; ours never overlap):
//   Node  node-initialize      a new node reports Ready, capacity, addresses, nodeInfo
//   Node  node-heartbeat       every ~10 min refreshes conditions (kwok renews the node Lease meanwhile)
//   Pod   pod-ready            a scheduled Pending pod turns Running + Ready
//   Pod   pod-running-unready  ... unless annotated `ramp.dev/test-pod-outcome: never-ready`: Running, never Ready
//   Pod   pod-complete         a Running pod owned by a Job finishes with exit code 0 (phase Succeeded)
//   Pod   pod-fail             ... unless annotated `ramp.dev/test-pod-outcome: failure`: exit code 1 (phase Failed)
//   Pod   pod-delete           a pod with a deletionTimestamp is removed (there is no kubelet to do it)
import { stringify } from 'yaml';
import { nodeLeaseDurationSeconds, podCidr } from './flags.ts';

/** Annotation a test puts on a pod (template) to choose what the fake kubelet does with it. */
export const podOutcomeAnnotation = 'ramp.dev/test-pod-outcome';
export const podOutcomes = {
  /** A Job's pod exits with code 1, so the Job counts a failure. */
  failure: 'failure',
  /** The pod runs but never becomes Ready (and a Job's pod never finishes). */
  neverReady: 'never-ready',
} as const;

interface MatchExpression {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

interface Stage {
  apiVersion: 'kwok.x-k8s.io/v1alpha1';
  kind: 'Stage';
  metadata: { name: string };
  spec: {
    resourceRef: { apiGroup: 'v1'; kind: 'Node' | 'Pod' };
    selector: { matchExpressions: MatchExpression[] };
    delay?: { durationMilliseconds: number; jitterDurationMilliseconds: number };
    next: { statusTemplate?: string; delete?: boolean };
  };
}

const outcomeKey = `.metadata.annotations["${podOutcomeAnnotation}"]`;
const notDeleting: MatchExpression = { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' };
const readyKey = '.status.conditions.[] | select( .type == "Ready" ) | .status';
const ownedByJob: MatchExpression = { key: '.metadata.ownerReferences.[].kind', operator: 'In', values: ['Job'] };
const phase = (...values: string[]): MatchExpression => ({ key: '.status.phase', operator: 'In', values });
const outcomeIs = (value: string): MatchExpression => ({ key: outcomeKey, operator: 'In', values: [value] });
const outcomeNot = (...values: string[]): MatchExpression => ({ key: outcomeKey, operator: 'NotIn', values });

function stage(name: string, kind: 'Node' | 'Pod', matchExpressions: MatchExpression[], next: Stage['spec']['next'], delay?: Stage['spec']['delay']): Stage {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: { resourceRef: { apiGroup: 'v1', kind }, selector: { matchExpressions }, ...(delay ? { delay } : {}), next },
  };
}

// --- templates (Go text/template with KWOK's functions; their output is a status patch in YAML) ---

const nodeConditions = `{{ $now := Now }}
{{ $since := or .metadata.creationTimestamp $now }}
conditions:
{{ range NodeConditions }}
- type: {{ .type | Quote }}
  status: {{ .status | Quote }}
  reason: {{ .reason | Quote }}
  message: {{ .message | Quote }}
  lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ $since | Quote }}
{{ end }}
`;

const nodeInitialize = `${nodeConditions}addresses:
{{ with NodeIP }}
- type: InternalIP
  address: {{ . | Quote }}
{{ end }}
- type: Hostname
  address: {{ .metadata.name | Quote }}
{{ with NodePort }}
daemonEndpoints:
  kubeletEndpoint:
    Port: {{ . }}
{{ end }}
allocatable:
{{ with .status.allocatable }}{{ YAML . 1 }}{{ else }}  cpu: "32"
  memory: 256Gi
  pods: "110"
{{ end }}
capacity:
{{ with .status.capacity }}{{ YAML . 1 }}{{ else }}  cpu: "32"
  memory: 256Gi
  pods: "110"
{{ end }}
nodeInfo:
  architecture: amd64
  operatingSystem: linux
  bootID: ""
  machineID: ""
  systemUUID: ""
  osImage: ""
  kernelVersion: {{ printf "kwok-%s" Version | Quote }}
  kubeletVersion: {{ printf "kwok-%s" Version | Quote }}
  kubeProxyVersion: {{ printf "kwok-%s" Version | Quote }}
  containerRuntimeVersion: {{ printf "kwok-%s" Version | Quote }}
phase: Running
`;

/** Pod status shared by the Running stages; `ready` is "true" or "false". */
function podRunning(ready: 'true' | 'false'): string {
  const condition = ready === 'true' ? 'True' : 'False';
  return `{{ $now := Now }}
conditions:
- type: Initialized
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: ContainersReady
  status: "${condition}"
  lastTransitionTime: {{ $now | Quote }}
- type: Ready
  status: "${condition}"
  lastTransitionTime: {{ $now | Quote }}
{{ range .spec.readinessGates }}
- type: {{ .conditionType | Quote }}
  status: "${condition}"
  lastTransitionTime: {{ $now | Quote }}
{{ end }}
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  ready: ${ready}
  started: true
  restartCount: 0
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ end }}
initContainerStatuses:
{{ range .spec.initContainers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  ready: true
  restartCount: 0
  state:
    terminated:
      exitCode: 0
      reason: Completed
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
{{ end }}
{{ with NodeIPWith .spec.nodeName }}
hostIP: {{ . | Quote }}
hostIPs:
- ip: {{ . | Quote }}
{{ end }}
{{ with PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
podIP: {{ . | Quote }}
podIPs:
- ip: {{ . | Quote }}
{{ end }}
phase: Running
startTime: {{ $now | Quote }}
`;
}

/** Pod status of a finished pod; every container terminated with `exitCode`. */
function podFinished(exitCode: number): string {
  const reason = exitCode === 0 ? 'Completed' : 'Error';
  return `{{ $now := Now }}
conditions:
- type: ContainersReady
  status: "False"
  reason: PodCompleted
  lastTransitionTime: {{ $now | Quote }}
- type: Ready
  status: "False"
  reason: PodCompleted
  lastTransitionTime: {{ $now | Quote }}
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  ready: false
  started: false
  restartCount: 0
  state:
    terminated:
      exitCode: ${exitCode}
      reason: ${reason}
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
{{ end }}
phase: ${exitCode === 0 ? 'Succeeded' : 'Failed'}
`;
}

export function ourStages(): Stage[] {
  const pending = [notDeleting, phase('Pending'), { key: readyKey, operator: 'NotIn', values: ['True'] } satisfies MatchExpression];
  const runningJobPod = [notDeleting, phase('Running'), ownedByJob];
  return [
    stage('node-initialize', 'Node', [{ key: readyKey, operator: 'NotIn', values: ['True'] }], { statusTemplate: nodeInitialize }),
    stage('node-heartbeat', 'Node', [phase('Running'), { key: readyKey, operator: 'In', values: ['True'] }], { statusTemplate: nodeConditions }, {
      durationMilliseconds: 600_000,
      jitterDurationMilliseconds: 610_000,
    }),
    stage('pod-ready', 'Pod', [...pending, outcomeNot(podOutcomes.neverReady)], { statusTemplate: podRunning('true') }),
    stage('pod-running-unready', 'Pod', [...pending, outcomeIs(podOutcomes.neverReady)], { statusTemplate: podRunning('false') }),
    stage('pod-complete', 'Pod', [...runningJobPod, outcomeNot(podOutcomes.failure, podOutcomes.neverReady)], { statusTemplate: podFinished(0) }),
    stage('pod-fail', 'Pod', [...runningJobPod, outcomeIs(podOutcomes.failure)], { statusTemplate: podFinished(1) }),
    stage('pod-delete', 'Pod', [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }], { delete: true }),
  ];
}

/** The whole --config file for kwok: options, then every stage, as one multi-document YAML. */
export function kwokConfigYaml(): string {
  const options = {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokConfiguration',
    options: {
      cidr: podCidr,
      manageAllNodes: true,
      nodeLeaseDurationSeconds,
      // kwok applies its defaults only when no config file is given, so every knob is set here.
      podPlayStageParallelism: 8,
      nodePlayStageParallelism: 4,
      nodeLeaseParallelism: 4,
      podsOnNodeSyncParallelism: 2,
    },
  };
  return [options, ...ourStages()].map((doc) => stringify(doc, { lineWidth: 0 })).join('---\n');
}
