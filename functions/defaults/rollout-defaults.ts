// Argo's Rollout defaults (reference §4, §2.1–2.3) written into the object where the user left
// the field empty, and only where writing the value cannot change what Argo's controller (or
// Ramp's) does. Fields left implicit on purpose, and why, are listed in docs/admission.md.
import { ALB_DEFAULT_ANNOTATION_PREFIX, NGINX_DEFAULT_ANNOTATION_PREFIX } from '../api/index.ts';
import type { FieldDefault } from './field-default.ts';
import { isJsonObject, objectAt, type JsonObject } from './json.ts';

export const DEFAULT_REPLICAS = 1;
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_RUN_HISTORY_LIMIT = 5;
/** Argo's default is the string "25", which it reads as 25 %; "25%" means the same to Argo and to Kubernetes. */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';
export const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
export const DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS = 30;
export const DEFAULT_EXPERIMENT_TEMPLATE_REPLICAS = 1;

function canaryOf(root: JsonObject): JsonObject | undefined {
  return objectAt(objectAt(objectAt(root, 'spec'), 'strategy'), 'canary');
}

/**
 * The scale-down delays of a canary only mean something with traffic routing (validation rejects
 * them without it), and dynamicStableScale cannot be combined with scaleDownDelaySeconds; with
 * dynamicStableScale Argo's abort delay default also differs, so both stay implicit there.
 */
function routedWithoutDynamicStableScale(root: JsonObject): boolean {
  const canary = canaryOf(root);
  return canary !== undefined && isJsonObject(canary['trafficRouting']) && canary['dynamicStableScale'] !== true;
}

export const ROLLOUT_DEFAULTS: readonly FieldDefault[] = [
  { parent: 'spec', field: 'replicas', value: DEFAULT_REPLICAS },
  { parent: 'spec', field: 'revisionHistoryLimit', value: DEFAULT_REVISION_HISTORY_LIMIT },
  { parent: 'spec', field: 'progressDeadlineSeconds', value: DEFAULT_PROGRESS_DEADLINE_SECONDS },
  { parent: 'spec.analysis', field: 'successfulRunHistoryLimit', value: DEFAULT_RUN_HISTORY_LIMIT, createParent: true },
  { parent: 'spec.analysis', field: 'unsuccessfulRunHistoryLimit', value: DEFAULT_RUN_HISTORY_LIMIT, createParent: true },
  { parent: 'spec.strategy.canary', field: 'maxSurge', value: DEFAULT_MAX_SURGE },
  { parent: 'spec.strategy.canary', field: 'maxUnavailable', value: DEFAULT_MAX_UNAVAILABLE },
  {
    parent: 'spec.strategy.canary',
    field: 'scaleDownDelaySeconds',
    value: DEFAULT_SCALE_DOWN_DELAY_SECONDS,
    when: routedWithoutDynamicStableScale,
  },
  {
    parent: 'spec.strategy.canary',
    field: 'abortScaleDownDelaySeconds',
    value: DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS,
    when: routedWithoutDynamicStableScale,
  },
  {
    parent: 'spec.strategy.canary.trafficRouting.nginx',
    field: 'annotationPrefix',
    value: NGINX_DEFAULT_ANNOTATION_PREFIX,
  },
  {
    parent: 'spec.strategy.canary.trafficRouting.alb',
    field: 'annotationPrefix',
    value: ALB_DEFAULT_ANNOTATION_PREFIX,
  },
  {
    parent: 'spec.strategy.canary.steps.*.experiment.templates.*',
    field: 'replicas',
    value: DEFAULT_EXPERIMENT_TEMPLATE_REPLICAS,
  },
  { parent: 'spec.strategy.blueGreen', field: 'autoPromotionEnabled', value: true },
  { parent: 'spec.strategy.blueGreen', field: 'scaleDownDelaySeconds', value: DEFAULT_SCALE_DOWN_DELAY_SECONDS },
  { parent: 'spec.strategy.blueGreen', field: 'abortScaleDownDelaySeconds', value: DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS },
];

export const EXPERIMENT_DEFAULTS: readonly FieldDefault[] = [
  { parent: 'spec', field: 'progressDeadlineSeconds', value: DEFAULT_PROGRESS_DEADLINE_SECONDS },
  { parent: 'spec', field: 'scaleDownDelaySeconds', value: DEFAULT_SCALE_DOWN_DELAY_SECONDS },
  { parent: 'spec.templates.*', field: 'replicas', value: DEFAULT_EXPERIMENT_TEMPLATE_REPLICAS },
];
