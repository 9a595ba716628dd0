// Pointing a Service at a ReplicaSet through the pod-template-hash selector (reference §8.7,
// §9.3). The first time a Service is taken over (it lacks the managed-by annotation) the target
// must be fully available, so traffic never moves to pods that cannot serve it; later switches
// need one available pod. The patch records the managed-by annotation.
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '../../api/index.ts';
import { fullyAvailable, recordEvent, type Context, type WorkingReplicaSet } from './context.ts';

export interface SwitchOptions {
  /** Switch even if the target has no available pod (the preview Service follows the new ReplicaSet at once). */
  ignoreAvailability?: boolean;
}

/** The hash a Service selects now, as the snapshot shows it (undefined when none). */
export function selectedHash(ctx: Context, service: string): string | undefined {
  const hash = ctx.snapshot.services.find((s) => s.name === service)?.selector?.[POD_TEMPLATE_HASH_LABEL];
  return hash === '' ? undefined : hash;
}

/** Plans the patch if needed; returns the hash the Service selects after this pass. */
export function switchServiceSelector(
  ctx: Context,
  serviceName: string,
  target: WorkingReplicaSet,
  options: SwitchOptions = {},
): string | undefined {
  const service = ctx.snapshot.services.find((s) => s.name === serviceName);
  if (service === undefined) return undefined;
  const current = selectedHash(ctx, serviceName);
  const managed = service.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION] === ctx.name;
  if (current === target.hash && managed) return current;
  if (current !== target.hash && !options.ignoreAvailability) {
    const ready = managed ? !target.created && target.availableReplicas > 0 : fullyAvailable(target);
    if (!ready) return current;
  }
  ctx.actions.push({ kind: 'patchServiceSelector', service: serviceName, hash: target.hash, managedBy: ctx.name });
  if (current !== target.hash) {
    recordEvent(ctx, 'SwitchService', `Switched selector for service '${serviceName}' from '${current ?? ''}' to '${target.hash}'`);
  }
  return target.hash;
}
