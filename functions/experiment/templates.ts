// One experiment template: which ReplicaSet and Service are its own, what its status is, and
// what to do to its ReplicaSet and Service (reference §12.3).
//
// Status (a completed status — Successful, Failed, Error — never changes again):
//   the ReplicaSet or Service name is taken by an object the Experiment does not control → Error
//   available pods ≥ replicas → Running, or Successful once the duration passed or the
//     experiment is ending
//   otherwise → Failed "Template 'x' exceeded its progressDeadlineSeconds (N)" once
//     lastTransitionTime + progressDeadlineSeconds has passed; Successful if the experiment is
//     ending; Progressing until then
// lastTransitionTime is the last time the template made progress: its ReplicaSet was created
// or scaled up, its replica counts changed, or its status changed.
//
// Replicas: `replicas` (default 1) until the experiment's phase is final, then 0 — after
// `scale-down-deadline` = now + scaleDownDelaySeconds (default 30; 0 scales down at once).
// The Service exists while the template's pods are wanted and is deleted once the ReplicaSet is
// down to zero available pods.
import { POD_TEMPLATE_HASH_LABEL, type Experiment, type ExperimentTemplate, type TemplateStatus } from '../api/index.ts';
import {
  hasScaleDownDeadline,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  SCALE_DOWN_DEADLINE_KEYS,
  scaleDownDeadlineRemainingMs,
  scaleDownDeadlineValue,
} from '../rollout/scale-down-deadline.ts';
import { parseMetaTime } from '../values/meta-time.ts';
import { DEFAULT_SCALE_DOWN_DELAY_SECONDS, DEFAULT_TEMPLATE_REPLICAS } from './defaults.ts';
import { templateHash, templateReplicaSet, templateService, templateServiceName, servicePorts } from './manifests.ts';
import { experimentName, templateOf, templateReplicaSetName } from './names.ts';
import { isCompletedTemplateStatus } from './phase.ts';
import type { ExperimentAction, ExperimentEvent, ExperimentServiceView, ExperimentSnapshot, ReplicaSetView } from './types.ts';

/** What the snapshot holds for one template. */
export interface TemplateObservation {
  template: ExperimentTemplate;
  /** The template's ReplicaSet, when it exists and the Experiment controls it. */
  replicaSet?: ReplicaSetView;
  /** The template's Service, when it exists and the Experiment controls it. */
  service?: ExperimentServiceView;
  /** Why the template cannot run (a name taken by another object); the template is then in Error. */
  conflict?: string;
  /** The pod-template hash: the ReplicaSet's label, or computed from the template. */
  hash: string;
  replicaSetName: string;
  /** Pods the template runs while the experiment is running. */
  wanted: number;
}

function replicasOf(template: ExperimentTemplate): number {
  return template.replicas ?? DEFAULT_TEMPLATE_REPLICAS;
}

export function observeTemplate(snapshot: ExperimentSnapshot, template: ExperimentTemplate, previous: TemplateStatus | undefined): TemplateObservation {
  const experiment = snapshot.experiment;
  const replicaSetName = templateReplicaSetName(experiment, template.name);
  const ours = snapshot.replicaSets.filter((rs) => templateOf(experiment, rs) === template.name);
  const observation: TemplateObservation = {
    template,
    hash: templateHash(template, previous?.collisionCount),
    replicaSetName,
    wanted: replicasOf(template),
  };
  if (ours.length > 1) {
    observation.conflict = `multiple ReplicaSets belong to template '${template.name}': ${ours.map((rs) => rs.name).sort().join(', ')}`;
  } else if (ours.length === 1) {
    const rs = ours[0]!;
    observation.replicaSet = rs;
    observation.replicaSetName = rs.name;
    observation.hash = rs.labels?.[POD_TEMPLATE_HASH_LABEL] || observation.hash;
  } else if (snapshot.replicaSets.some((rs) => rs.name === replicaSetName)) {
    observation.conflict = `ReplicaSet "${replicaSetName}" already exists and is not controlled by Experiment "${experimentName(experiment)}"`;
  }
  const service = snapshot.services.find((svc) => templateOf(experiment, svc) === template.name);
  if (service !== undefined) observation.service = service;
  if (observation.conflict === undefined && template.service !== undefined && service === undefined) {
    const name = templateServiceName(experiment, template);
    if (snapshot.services.some((svc) => svc.name === name)) {
      observation.conflict = `Service "${name}" already exists and is not owned by experiment template "${template.name}"`;
    }
  }
  return observation;
}

export interface TemplateStatusInput {
  now: Date;
  nowText: string;
  progressDeadlineSeconds: number;
  /** availableAt + duration has passed. */
  durationPassed: boolean;
  /** The experiment is ending (terminate, final phase, a failed part). */
  terminating: boolean;
}

function sameCounts(a: TemplateStatus | undefined, b: TemplateStatus): boolean {
  return a !== undefined && a.replicas === b.replicas && a.updatedReplicas === b.updatedReplicas && a.readyReplicas === b.readyReplicas && a.availableReplicas === b.availableReplicas;
}

/** The template's next status (without service fields; `applyTemplate` sets those). */
export function nextTemplateStatus(observation: TemplateObservation, previous: TemplateStatus | undefined, input: TemplateStatusInput): TemplateStatus {
  const { template, replicaSet: rs } = observation;
  const status: TemplateStatus = {
    name: template.name,
    replicas: rs?.status.replicas ?? 0,
    updatedReplicas: rs?.status.replicas ?? 0,
    readyReplicas: rs?.status.readyReplicas ?? 0,
    availableReplicas: rs?.status.availableReplicas ?? 0,
  };
  if (previous?.collisionCount !== undefined) status.collisionCount = previous.collisionCount;
  if (previous?.serviceName) status.serviceName = previous.serviceName;
  if (rs !== undefined) status.podTemplateHash = observation.hash;
  else if (previous?.podTemplateHash) status.podTemplateHash = previous.podTemplateHash;

  let lastTransition = previous?.lastTransitionTime;
  if (lastTransition === undefined || !sameCounts(previous, status)) lastTransition = input.nowText;

  if (previous !== undefined && isCompletedTemplateStatus(previous.status)) {
    status.status = previous.status!;
    if (previous.message) status.message = previous.message;
  } else if (observation.conflict !== undefined) {
    status.status = 'Error';
    status.message = observation.conflict;
  } else if (rs !== undefined && status.availableReplicas >= observation.wanted) {
    status.status = input.durationPassed || input.terminating ? 'Successful' : 'Running';
  } else {
    const from = parseMetaTime(lastTransition) ?? input.now.getTime();
    if (input.now.getTime() >= from + input.progressDeadlineSeconds * 1000) {
      status.status = 'Failed';
      status.message = `Template '${template.name}' exceeded its progressDeadlineSeconds (${input.progressDeadlineSeconds})`;
    } else {
      status.status = input.terminating ? 'Successful' : 'Progressing';
    }
  }
  if (previous?.status !== status.status) lastTransition = input.nowText;
  status.lastTransitionTime = lastTransition;
  return status;
}

/** Milliseconds until a template that is not available yet misses its deadline. */
export function templateDeadlineMs(status: TemplateStatus, progressDeadlineSeconds: number, now: Date): number | undefined {
  if (status.status !== 'Progressing') return undefined;
  const from = parseMetaTime(status.lastTransitionTime);
  if (from === undefined) return undefined;
  return Math.max(0, from + progressDeadlineSeconds * 1000 - now.getTime());
}

export interface TemplatePlan {
  actions: ExperimentAction[];
  events: ExperimentEvent[];
  /** Milliseconds until a scale-down deadline passes. */
  wakeUpMs?: number;
}

/**
 * What to do to the template's ReplicaSet and Service for `desired` replicas; updates the
 * status's service fields and lastTransitionTime (on a scale up) in place.
 */
export function applyTemplate(
  experiment: Experiment,
  observation: TemplateObservation,
  status: TemplateStatus,
  desired: number,
  input: { now: Date; nowText: string; ending: boolean },
): TemplatePlan {
  const plan: TemplatePlan = { actions: [], events: [] };
  const { template, replicaSet: rs, service } = observation;
  if (observation.conflict !== undefined) return plan;
  const name = template.name;

  if (rs === undefined) {
    if (desired > 0 && !input.ending) {
      const manifest = templateReplicaSet(experiment, template, desired, status.collisionCount);
      plan.actions.push({ kind: 'createReplicaSet', template: name, replicaSet: manifest });
      plan.events.push({ type: 'Normal', reason: 'NewReplicaSetCreated', message: `Created ReplicaSet ${manifest.metadata.name} with size ${desired}` });
      status.podTemplateHash = observation.hash;
      status.lastTransitionTime = input.nowText;
    }
  } else if (desired > 0) {
    if (hasScaleDownDeadline(rs.annotations)) {
      plan.actions.push({ kind: 'annotateReplicaSet', template: name, name: rs.name, annotations: { remove: [...SCALE_DOWN_DEADLINE_KEYS] } });
    }
    if (rs.replicas !== desired) {
      plan.actions.push({ kind: 'scaleReplicaSet', template: name, name: rs.name, from: rs.replicas, replicas: desired });
      plan.events.push(scaledEvent(rs.name, rs.replicas, desired));
      if (desired > rs.replicas) status.lastTransitionTime = input.nowText;
    }
  } else if (rs.replicas > 0) {
    const delaySeconds = experiment.spec.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;
    if (delaySeconds <= 0) {
      if (hasScaleDownDeadline(rs.annotations)) {
        plan.actions.push({ kind: 'annotateReplicaSet', template: name, name: rs.name, annotations: { remove: [...SCALE_DOWN_DEADLINE_KEYS] } });
      }
      plan.actions.push({ kind: 'scaleReplicaSet', template: name, name: rs.name, from: rs.replicas, replicas: 0 });
      plan.events.push(scaledEvent(rs.name, rs.replicas, 0));
    } else if (!hasScaleDownDeadline(rs.annotations)) {
      plan.actions.push({
        kind: 'annotateReplicaSet',
        template: name,
        name: rs.name,
        annotations: { set: { [SCALE_DOWN_DEADLINE_ANNOTATION]: scaleDownDeadlineValue(input.now, delaySeconds) } },
      });
      plan.wakeUpMs = delaySeconds * 1000;
    } else {
      const remaining = scaleDownDeadlineRemainingMs(rs.annotations, input.now);
      if (remaining !== undefined) {
        plan.wakeUpMs = remaining;
      } else {
        // The deadline passed (an unreadable one counts as passed, as in Argo).
        plan.actions.push({ kind: 'scaleReplicaSet', template: name, name: rs.name, from: rs.replicas, replicas: 0 });
        plan.events.push(scaledEvent(rs.name, rs.replicas, 0));
      }
    }
  }

  // The Service: while pods are wanted, and until the last available pod is gone.
  const replicaSetDown = rs === undefined || (rs.replicas === 0 && rs.status.availableReplicas === 0);
  if (service !== undefined) {
    if (service.deletionTimestamp !== undefined) {
      delete status.serviceName;
    } else if (template.service === undefined || (desired === 0 && replicaSetDown)) {
      plan.actions.push({ kind: 'deleteService', template: name, name: service.name, ...(service.uid ? { uid: service.uid } : {}) });
      delete status.serviceName;
    } else {
      status.serviceName = service.name;
    }
  } else {
    delete status.serviceName;
    if (template.service !== undefined && desired > 0 && !input.ending && rs !== undefined && servicePorts(template.template).length > 0) {
      const manifest = templateService(experiment, template, observation.hash);
      plan.actions.push({ kind: 'createService', template: name, service: manifest });
      status.serviceName = manifest.metadata.name;
    }
  }
  return plan;
}

function scaledEvent(name: string, from: number, to: number): ExperimentEvent {
  return { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled ${to > from ? 'up' : 'down'} ReplicaSet ${name} from ${from} to ${to}` };
}

/**
 * ReplicaSets and Services the Experiment controls for templates it no longer has: the
 * ReplicaSets are scaled to zero at once, the Services deleted.
 */
export function leftoverActions(snapshot: ExperimentSnapshot): ExperimentAction[] {
  const experiment = snapshot.experiment;
  const names = new Set(experiment.spec.templates.map((t) => t.name));
  const actions: ExperimentAction[] = [];
  for (const rs of snapshot.replicaSets) {
    const template = templateOf(experiment, rs);
    if (template !== undefined && !names.has(template) && rs.replicas > 0) {
      actions.push({ kind: 'scaleReplicaSet', template, name: rs.name, from: rs.replicas, replicas: 0 });
    }
  }
  for (const svc of snapshot.services) {
    const template = templateOf(experiment, svc);
    if (template !== undefined && !names.has(template) && svc.deletionTimestamp === undefined) {
      actions.push({ kind: 'deleteService', template, name: svc.name, ...(svc.uid ? { uid: svc.uid } : {}) });
    }
  }
  return actions;
}
