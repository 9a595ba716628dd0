/** API group of every kind Ramp serves wire-compatibly with Argo Rollouts. */
export const ARGO_GROUP = 'argoproj.io';

/** The only version Argo Rollouts has ever served. */
export const ARGO_VERSION = 'v1alpha1';

/** `apiVersion` value of every Argo kind. */
export const ARGO_API_VERSION = `${ARGO_GROUP}/${ARGO_VERSION}`;

/**
 * Ramp's own API group, reserved for kinds Argo does not have: so far the cluster-scoped
 * RolloutPolicy (functions/api/schema/rollout-policy.ts).
 */
export const RAMP_GROUP = 'ramp.dev';
