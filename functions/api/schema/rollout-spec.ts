// Rollout spec (reference §2.1).
import Type, { type Static } from 'typebox';
import { labelSelectorSchema } from './meta.ts';
import { PodTemplateSpecSchema } from './pod-template.ts';
import { bool, int32, knownString, str, time } from './primitives.ts';
import { AnalysisRunStrategySchema } from './rollout-analysis.ts';
import { RolloutStrategySchema } from './rollout-strategy.ts';

export const ObjectRefSchema = Type.Object(
  {
    apiVersion: Type.Optional(str('apps/v1 for Deployment and ReplicaSet, v1 for PodTemplate.')),
    kind: Type.Optional(str('Deployment, ReplicaSet or PodTemplate.')),
    name: Type.Optional(str()),
    scaleDown: Type.Optional(
      knownString(['never', 'onsuccess', 'progressively'] as const, 'What to do with the referenced Deployment; empty means never.'),
    ),
  },
  { description: 'Take the pod template (and selector) from another workload.' },
);
export type ObjectRef = Static<typeof ObjectRefSchema>;

/** Argo's rule, copied so the API server enforces it too: the selector never changes. */
const SELECTOR_IS_IMMUTABLE = [{ rule: 'self == oldSelf', message: '.spec.selector is immutable' }];

export const RolloutSpecSchema = Type.Object(
  {
    replicas: Type.Optional(int32('Desired pods (default 1).')),
    selector: Type.Optional(
      labelSelectorSchema({
        'x-kubernetes-validations': SELECTOR_IS_IMMUTABLE,
        description: 'Label selector of the pods; must match the template labels. Immutable.',
      }),
    ),
    template: Type.Optional(PodTemplateSpecSchema),
    workloadRef: Type.Optional(ObjectRefSchema),
    minReadySeconds: Type.Optional(int32('Seconds a new pod must be ready to count as available.')),
    rollbackWindow: Type.Optional(
      Type.Object(
        { revisions: Type.Optional(int32()) },
        { description: 'Rolling back to one of the last N revisions skips steps and analysis.' },
      ),
    ),
    strategy: Type.Optional(RolloutStrategySchema),
    revisionHistoryLimit: Type.Optional(int32('Old ReplicaSets to keep (default 10).')),
    paused: Type.Optional(bool('Halt the rollout; never cleared by the controller.')),
    progressDeadlineSeconds: Type.Optional(int32('Seconds an update may stall before it counts as failed (default 600).')),
    progressDeadlineAbort: Type.Optional(bool('Abort an update that exceeded the progress deadline.')),
    restartAt: Type.Optional(time('Restart pods created before this time.')),
    analysis: Type.Optional(AnalysisRunStrategySchema),
  },
  { description: 'Desired state of a Rollout.' },
);
export type RolloutSpec = Static<typeof RolloutSpecSchema>;

