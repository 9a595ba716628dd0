// Sharding controllers with --instance-id, as Argo Rollouts does: a controller started with an
// instance id only sees objects labelled with it; one started without sees only unlabelled ones.
// Apply it to the kinds a user labels (Rollouts, AnalysisRuns, AnalysisTemplates,
// ClusterAnalysisTemplates, Experiments), not to ReplicaSets or Services.

export const INSTANCE_ID_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';

/** The label selector for the objects a controller with this instance id owns. */
export function instanceIdSelector(instanceId: string | undefined): string {
  return instanceId ? `${INSTANCE_ID_LABEL}=${instanceId}` : `!${INSTANCE_ID_LABEL}`;
}

/** The Lease name, so differently sharded controllers elect independently. */
export function leaseNameFor(instanceId: string | undefined, base = 'argo-rollouts-controller-lock'): string {
  return instanceId ? `${base}-${instanceId}` : base;
}
