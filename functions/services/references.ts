// Which Services and Ingresses a Rollout names. Pure: reads the spec, nothing else.
//
// Services: the canary strategy's stableService, canaryService and pingPong pair; the blue-green
// strategy's activeService and previewService. Ingresses: the NGINX stable Ingress(es), whose
// canary twin the controller creates, and the ALB Ingress(es) it annotates.
import type { Rollout } from '../api/index.ts';

/** Names of the Services the Rollout's strategy refers to, without duplicates, in spec order. */
export function referencedServiceNames(rollout: Pick<Rollout, 'spec'>): string[] {
  const strategy = rollout.spec?.strategy;
  const names = [
    strategy?.canary?.stableService,
    strategy?.canary?.canaryService,
    strategy?.canary?.pingPong?.pingService,
    strategy?.canary?.pingPong?.pongService,
    strategy?.blueGreen?.activeService,
    strategy?.blueGreen?.previewService,
  ];
  return unique(names);
}

/** Names of the NGINX stable Ingresses the Rollout routes through. */
export function nginxStableIngressNames(rollout: Pick<Rollout, 'spec'>): string[] {
  const nginx = rollout.spec?.strategy?.canary?.trafficRouting?.nginx;
  if (!nginx) return [];
  return unique([nginx.stableIngress, ...(nginx.stableIngresses ?? [])]);
}

/** Names of the ALB Ingresses the Rollout annotates. */
export function albIngressNames(rollout: Pick<Rollout, 'spec'>): string[] {
  const alb = rollout.spec?.strategy?.canary?.trafficRouting?.alb;
  if (!alb) return [];
  return unique([alb.ingress, ...(alb.ingresses ?? [])]);
}

/** Longest prefix Argo keeps before appending "-canary", so the name stays within 253 characters. */
const CANARY_INGRESS_PREFIX_MAX = 253 - '-canary'.length;

/**
 * The name of the canary Ingress created for one NGINX stable Ingress:
 * `<rollout>-<stableIngress>-canary`, the prefix cut to fit 253 characters.
 */
export function canaryIngressName(rolloutName: string, stableIngress: string): string {
  return `${`${rolloutName}-${stableIngress}`.slice(0, CANARY_INGRESS_PREFIX_MAX)}-canary`;
}

/**
 * Names a canary Ingress of this Rollout may legitimately have. Besides the name above, the
 * older `<stableIngress>-canary` spelling is accepted so such an Ingress is not deleted under a
 * router that still uses it.
 */
export function canaryIngressNames(rollout: Pick<Rollout, 'spec' | 'metadata'>): string[] {
  const rolloutName = rollout.metadata?.name ?? '';
  return unique(nginxStableIngressNames(rollout).flatMap((stable) => [canaryIngressName(rolloutName, stable), `${stable}-canary`]));
}

function unique(names: ReadonlyArray<string | undefined>): string[] {
  const out: string[] = [];
  for (const n of names) if (n && !out.includes(n)) out.push(n);
  return out;
}
