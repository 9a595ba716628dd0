// spec.strategy: exactly one of blueGreen (reference §2.2) or canary (§2.3).
import Type, { type Static } from 'typebox';
import { PodTemplateMetadataSchema } from './meta.ts';
import { bool, int32, intOrString, knownString, str } from './primitives.ts';
import { CanaryStepSchema } from './canary-step.ts';
import { RolloutAnalysisBackgroundSchema, RolloutAnalysisSchema } from './rollout-analysis.ts';
import { RolloutTrafficRoutingSchema } from './traffic-routing.ts';

export const AntiAffinitySchema = Type.Object(
  {
    preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(
      Type.Object({ weight: int32('Scheduling weight, 1..100.') }, { description: 'Prefer nodes without stable pods.' }),
    ),
    requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(
      Type.Object({}, { description: 'Never schedule new pods next to stable pods.' }),
    ),
  },
  { description: 'Keep new pods off nodes running the stable ReplicaSet; exactly one of the two.' },
);
export type AntiAffinity = Static<typeof AntiAffinitySchema>;

export const BlueGreenStrategySchema = Type.Object(
  {
    activeService: str('Service that receives production traffic; switched to the new ReplicaSet on promotion.'),
    previewService: Type.Optional(str('Service switched to the new ReplicaSet as soon as it exists.')),
    previewReplicaCount: Type.Optional(int32('Pods of the new ReplicaSet before promotion (default: spec.replicas).')),
    autoPromotionEnabled: Type.Optional(bool('Promote without waiting for a user (default true).')),
    autoPromotionSeconds: Type.Optional(int32('Promote automatically this many seconds after the pause began.')),
    maxUnavailable: Type.Optional(intOrString('Pods that may be unavailable during a restart (default 25%).')),
    scaleDownDelaySeconds: Type.Optional(int32('Keep the old active ReplicaSet up this long after the switch (default 30).')),
    scaleDownDelayRevisionLimit: Type.Optional(int32('Old ReplicaSets that may wait in their scale-down delay.')),
    prePromotionAnalysis: Type.Optional(RolloutAnalysisSchema),
    postPromotionAnalysis: Type.Optional(RolloutAnalysisSchema),
    antiAffinity: Type.Optional(AntiAffinitySchema),
    previewMetadata: Type.Optional(PodTemplateMetadataSchema),
    activeMetadata: Type.Optional(PodTemplateMetadataSchema),
    abortScaleDownDelaySeconds: Type.Optional(int32('Scale the preview down this long after an abort (default 30; 0 never).')),
  },
  { description: 'Blue-green: run the new version beside the old one and switch a Service.' },
);
export type BlueGreenStrategy = Static<typeof BlueGreenStrategySchema>;

export const PingPongSchema = Type.Object(
  { pingService: str(), pongService: str() },
  { description: 'Alternate two Services between stable and canary (ALB, Istio, plugins).' },
);
export type PingPong = Static<typeof PingPongSchema>;

export const ReplicaProgressThresholdSchema = Type.Object(
  {
    type: knownString(['Percent', 'Pods'] as const),
    value: int32(),
  },
  { description: 'Treat the canary as scaled once this many of its pods are available.' },
);
export type ReplicaProgressThreshold = Static<typeof ReplicaProgressThresholdSchema>;

export const CanaryStrategySchema = Type.Object(
  {
    canaryService: Type.Optional(str('Service selecting only canary pods.')),
    stableService: Type.Optional(str('Service selecting only stable pods.')),
    steps: Type.Optional(Type.Array(CanaryStepSchema, { description: 'Steps of an update; none means straight to 100%.' })),
    trafficRouting: Type.Optional(RolloutTrafficRoutingSchema),
    maxUnavailable: Type.Optional(intOrString('Pods that may be unavailable; any string is a percentage (default "25").')),
    maxSurge: Type.Optional(intOrString('Pods above spec.replicas; any string is a percentage (default "25").')),
    analysis: Type.Optional(RolloutAnalysisBackgroundSchema),
    antiAffinity: Type.Optional(AntiAffinitySchema),
    canaryMetadata: Type.Optional(PodTemplateMetadataSchema),
    stableMetadata: Type.Optional(PodTemplateMetadataSchema),
    scaleDownDelaySeconds: Type.Optional(int32('Keep the old stable up this long after promotion (traffic routing only; default 30).')),
    scaleDownDelayRevisionLimit: Type.Optional(int32()),
    abortScaleDownDelaySeconds: Type.Optional(int32('Scale the canary down this long after an abort (traffic routing only; default 30).')),
    dynamicStableScale: Type.Optional(bool('Scale the stable down as the canary takes traffic (traffic routing only).')),
    pingPong: Type.Optional(PingPongSchema),
    minPodsPerReplicaSet: Type.Optional(int32('Minimum pods of a non-empty canary or stable (traffic routing only).')),
    replicaProgressThreshold: Type.Optional(ReplicaProgressThresholdSchema),
  },
  { description: 'Canary: shift traffic (or pods) to the new version step by step.' },
);
export type CanaryStrategy = Static<typeof CanaryStrategySchema>;

export const RolloutStrategySchema = Type.Object(
  {
    blueGreen: Type.Optional(BlueGreenStrategySchema),
    canary: Type.Optional(CanaryStrategySchema),
  },
  { description: 'How updates are rolled out; exactly one of blueGreen or canary.' },
);
export type RolloutStrategy = Static<typeof RolloutStrategySchema>;
