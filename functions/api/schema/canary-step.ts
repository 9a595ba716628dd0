// One step of a canary update (reference §2.4): each step sets exactly one action.
import Type, { type Static } from 'typebox';
import { LabelSelectorSchema, PodTemplateMetadataSchema, AnalysisRunMetadataSchema } from './meta.ts';
import { DryRunSchema } from './metric.ts';
import { bool, durationString, freeFormObject, int32, intOrString, knownString, mapOf, str } from './primitives.ts';
import { RolloutAnalysisArgumentSchema, RolloutAnalysisSchema } from './rollout-analysis.ts';

export const RolloutPauseSchema = Type.Object(
  {
    duration: Type.Optional(intOrString('Seconds as a number or string ("30"), or a Go duration ("1h"). Omitted: pause until resumed.')),
  },
  { description: 'Pause the update.' },
);
export type RolloutPause = Static<typeof RolloutPauseSchema>;

export const TemplateServiceSchema = Type.Object(
  { name: Type.Optional(str('Service name; defaults to the ReplicaSet name.')) },
  { description: 'Create a ClusterIP Service for the template\'s pods.' },
);
export type TemplateService = Static<typeof TemplateServiceSchema>;

export const RolloutExperimentTemplateSchema = Type.Object(
  {
    name: str('Template name, unique within the experiment.'),
    specRef: knownString(['canary', 'stable'] as const, 'Copy the pod template of the canary or the stable ReplicaSet.'),
    replicas: Type.Optional(int32('Pods to run (default 1).')),
    metadata: Type.Optional(PodTemplateMetadataSchema),
    selector: Type.Optional(LabelSelectorSchema),
    weight: Type.Optional(int32('Traffic weight for this template (traffic routing only).')),
    service: Type.Optional(TemplateServiceSchema),
  },
  { description: 'A ReplicaSet the experiment runs.' },
);
export type RolloutExperimentTemplate = Static<typeof RolloutExperimentTemplateSchema>;

export const RolloutExperimentStepAnalysisTemplateRefSchema = Type.Object(
  {
    name: str('Name of the analysis within the experiment.'),
    templateName: str('AnalysisTemplate (or ClusterAnalysisTemplate) name.'),
    clusterScope: Type.Optional(bool('Refer to a ClusterAnalysisTemplate.')),
    args: Type.Optional(Type.Array(RolloutAnalysisArgumentSchema)),
    requiredForCompletion: Type.Optional(bool('The experiment completes when this analysis succeeds.')),
  },
  { description: 'An analysis run alongside the experiment.' },
);
export type RolloutExperimentStepAnalysisTemplateRef = Static<typeof RolloutExperimentStepAnalysisTemplateRefSchema>;

export const RolloutExperimentStepSchema = Type.Object(
  {
    templates: Type.Array(RolloutExperimentTemplateSchema, { description: 'ReplicaSets to run.' }),
    duration: Type.Optional(durationString('How long to run; empty means until the analyses decide.')),
    analyses: Type.Optional(Type.Array(RolloutExperimentStepAnalysisTemplateRefSchema)),
    dryRun: Type.Optional(Type.Array(DryRunSchema)),
    analysisRunMetadata: Type.Optional(AnalysisRunMetadataSchema),
    scaleDownDelaySeconds: Type.Optional(int32('Delay before scaling down the experiment\'s ReplicaSets (default 30).')),
  },
  { description: 'Run an Experiment.' },
);
export type RolloutExperimentStep = Static<typeof RolloutExperimentStepSchema>;

export const SetCanaryScaleSchema = Type.Object(
  {
    weight: Type.Optional(int32('Scale the canary to this percentage of spec.replicas.')),
    replicas: Type.Optional(int32('Scale the canary to this many pods.')),
    matchTrafficWeight: Type.Optional(bool('Scale the canary to match the traffic weight again.')),
  },
  { description: 'Decouple the canary pod count from the traffic weight (traffic routing only).' },
);
export type SetCanaryScale = Static<typeof SetCanaryScaleSchema>;

export const StringMatchSchema = Type.Object(
  {
    exact: Type.Optional(str()),
    prefix: Type.Optional(str()),
    regex: Type.Optional(str()),
  },
  { description: 'Match a string exactly, by prefix or by regular expression (one of them).' },
);
export type StringMatch = Static<typeof StringMatchSchema>;

export const HeaderRoutingMatchSchema = Type.Object({
  headerName: str(),
  headerValue: StringMatchSchema,
});
export type HeaderRoutingMatch = Static<typeof HeaderRoutingMatchSchema>;

export const SetHeaderRouteSchema = Type.Object(
  {
    name: Type.Optional(str('Route name; must be listed in trafficRouting.managedRoutes.')),
    match: Type.Optional(Type.Array(HeaderRoutingMatchSchema, { description: 'Header matches; none removes the route.' })),
  },
  { description: 'Send requests with matching headers to the canary.' },
);
export type SetHeaderRoute = Static<typeof SetHeaderRouteSchema>;

export const RouteMatchSchema = Type.Object({
  method: Type.Optional(StringMatchSchema),
  path: Type.Optional(StringMatchSchema),
  headers: Type.Optional(mapOf(StringMatchSchema, 'Header name → match.')),
});
export type RouteMatch = Static<typeof RouteMatchSchema>;

export const SetMirrorRouteSchema = Type.Object(
  {
    name: str('Route name; must be listed in trafficRouting.managedRoutes.'),
    match: Type.Optional(Type.Array(RouteMatchSchema, { description: 'Request matches; none removes the route.' })),
    percentage: Type.Optional(int32('Percentage of matching traffic to mirror.')),
  },
  { description: 'Mirror matching requests to the canary.' },
);
export type SetMirrorRoute = Static<typeof SetMirrorRouteSchema>;

export const PluginStepSchema = Type.Object(
  {
    name: str('Step plugin name.'),
    config: Type.Optional(freeFormObject('Configuration passed to the plugin.')),
  },
  { description: 'Run a step plugin.' },
);
export type PluginStep = Static<typeof PluginStepSchema>;

export const CanaryStepSchema = Type.Object(
  {
    setWeight: Type.Optional(int32('Percentage of traffic (or pods) for the canary.')),
    pause: Type.Optional(RolloutPauseSchema),
    experiment: Type.Optional(RolloutExperimentStepSchema),
    analysis: Type.Optional(RolloutAnalysisSchema),
    setCanaryScale: Type.Optional(SetCanaryScaleSchema),
    setHeaderRoute: Type.Optional(SetHeaderRouteSchema),
    setMirrorRoute: Type.Optional(SetMirrorRouteSchema),
    plugin: Type.Optional(PluginStepSchema),
  },
  { description: 'A canary step; exactly one action.' },
);
export type CanaryStep = Static<typeof CanaryStepSchema>;
