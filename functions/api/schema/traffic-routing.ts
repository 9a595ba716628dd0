// spec.strategy.canary.trafficRouting (reference §2.5).
import Type, { type Static } from 'typebox';
import { freeFormObject, int32, int64, str, stringMap } from './primitives.ts';

export const IstioVirtualServiceSchema = Type.Object({
  name: str('VirtualService name, optionally name.namespace.'),
  routes: Type.Optional(Type.Array(Type.String(), { description: 'HTTP route names to update.' })),
  tlsRoutes: Type.Optional(
    Type.Array(
      Type.Object({ port: Type.Optional(int64()), sniHosts: Type.Optional(Type.Array(Type.String())) }),
      { description: 'TLS routes to update, matched by port and SNI hosts.' },
    ),
  ),
  tcpRoutes: Type.Optional(Type.Array(Type.Object({ port: Type.Optional(int64()) }), { description: 'TCP routes to update, matched by port.' })),
});
export type IstioVirtualService = Static<typeof IstioVirtualServiceSchema>;

export const IstioDestinationRuleSchema = Type.Object(
  {
    name: str(),
    canarySubsetName: str(),
    stableSubsetName: str(),
    additionalSubsetNames: Type.Optional(Type.Array(Type.String())),
  },
  { description: 'Split by DestinationRule subsets instead of Services.' },
);
export type IstioDestinationRule = Static<typeof IstioDestinationRuleSchema>;

export const IstioTrafficRoutingSchema = Type.Object(
  {
    virtualService: Type.Optional(IstioVirtualServiceSchema),
    virtualServices: Type.Optional(Type.Array(IstioVirtualServiceSchema)),
    destinationRule: Type.Optional(IstioDestinationRuleSchema),
  },
  { description: 'Istio: one of virtualService or virtualServices.' },
);
export type IstioTrafficRouting = Static<typeof IstioTrafficRoutingSchema>;

export const NginxTrafficRoutingSchema = Type.Object(
  {
    annotationPrefix: Type.Optional(str('Default nginx.ingress.kubernetes.io.')),
    stableIngress: Type.Optional(str()),
    stableIngresses: Type.Optional(Type.Array(Type.String())),
    additionalIngressAnnotations: Type.Optional(stringMap()),
    canaryIngressAnnotations: Type.Optional(stringMap()),
  },
  { description: 'NGINX ingress: one of stableIngress or stableIngresses.' },
);
export type NginxTrafficRouting = Static<typeof NginxTrafficRoutingSchema>;

export const ALBTrafficRoutingSchema = Type.Object(
  {
    ingress: Type.Optional(str()),
    ingresses: Type.Optional(Type.Array(Type.String())),
    servicePort: int32(),
    rootService: Type.Optional(str()),
    annotationPrefix: Type.Optional(str('Default alb.ingress.kubernetes.io.')),
    stickinessConfig: Type.Optional(Type.Object({ enabled: Type.Boolean(), durationSeconds: int64() })),
  },
  { description: 'AWS load balancer controller: one of ingress or ingresses.' },
);
export type ALBTrafficRouting = Static<typeof ALBTrafficRoutingSchema>;

export const SMITrafficRoutingSchema = Type.Object(
  {
    rootService: Type.Optional(str()),
    trafficSplitName: Type.Optional(str('Default: the Rollout name.')),
  },
  { description: 'Service Mesh Interface TrafficSplit.' },
);
export type SMITrafficRouting = Static<typeof SMITrafficRoutingSchema>;

export const AmbassadorTrafficRoutingSchema = Type.Object(
  { mappings: Type.Array(Type.String()) },
  { description: 'Ambassador / Emissary Mappings.' },
);
export type AmbassadorTrafficRouting = Static<typeof AmbassadorTrafficRoutingSchema>;

const appMeshVirtualNodeReference = Type.Object({ name: str() });

export const AppMeshTrafficRoutingSchema = Type.Object(
  {
    virtualService: Type.Optional(Type.Object({ name: str(), routes: Type.Optional(Type.Array(Type.String())) })),
    virtualNodeGroup: Type.Optional(
      Type.Object({ canaryVirtualNodeRef: appMeshVirtualNodeReference, stableVirtualNodeRef: appMeshVirtualNodeReference }),
    ),
  },
  { description: 'AWS App Mesh.' },
);
export type AppMeshTrafficRouting = Static<typeof AppMeshTrafficRoutingSchema>;

export const TraefikTrafficRoutingSchema = Type.Object(
  { weightedTraefikServiceName: str() },
  { description: 'Traefik weighted TraefikService.' },
);
export type TraefikTrafficRouting = Static<typeof TraefikTrafficRoutingSchema>;

export const ApisixTrafficRoutingSchema = Type.Object(
  { route: Type.Optional(Type.Object({ name: str(), rules: Type.Optional(Type.Array(Type.String())) })) },
  { description: 'Apache APISIX route.' },
);
export type ApisixTrafficRouting = Static<typeof ApisixTrafficRoutingSchema>;

export const ManagedRouteSchema = Type.Object({ name: str() });
export type ManagedRoute = Static<typeof ManagedRouteSchema>;

export const RolloutTrafficRoutingSchema = Type.Object(
  {
    istio: Type.Optional(IstioTrafficRoutingSchema),
    nginx: Type.Optional(NginxTrafficRoutingSchema),
    alb: Type.Optional(ALBTrafficRoutingSchema),
    smi: Type.Optional(SMITrafficRoutingSchema),
    ambassador: Type.Optional(AmbassadorTrafficRoutingSchema),
    appMesh: Type.Optional(AppMeshTrafficRoutingSchema),
    traefik: Type.Optional(TraefikTrafficRoutingSchema),
    apisix: Type.Optional(ApisixTrafficRoutingSchema),
    managedRoutes: Type.Optional(
      Type.Array(ManagedRouteSchema, { description: 'Routes the controller may inject (header/mirror), in precedence order.' }),
    ),
    plugins: Type.Optional(freeFormObject('Traffic router plugins: plugin name → its configuration.')),
    maxTrafficWeight: Type.Optional(int32('Total weight (default 100; NGINX and plugins only).')),
  },
  { description: 'Shape traffic with a mesh or ingress instead of pod counts.' },
);
export type RolloutTrafficRouting = Static<typeof RolloutTrafficRoutingSchema>;
