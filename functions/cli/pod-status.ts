// A pod's STATUS, READY and RESTARTS as kubectl prints them (and Argo's plugin after it):
// the most telling reason among phase, init containers and containers.
import type { ContainerStatusView, PodView } from './objects.ts';

export interface PodSummary {
  /** Running, Pending, ContainerCreating, Init:0/1, CrashLoopBackOff, Completed, Terminating, … */
  status: string;
  /** ready/total containers, e.g. 1/1 */
  ready: string;
  restarts: number;
}

function terminatedReason(c: ContainerStatusView, prefix: string): string | undefined {
  const t = c.state?.terminated;
  if (!t) return undefined;
  if (t.reason) return prefix + t.reason;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

export function podSummary(pod: PodView): PodSummary {
  const initSpecs = pod.spec?.initContainers ?? [];
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const total = pod.spec?.containers?.length ?? 0;
  let ready = 0;
  let restarts = 0;
  let reason = pod.status?.reason || pod.status?.phase || '';

  let initializing = false;
  const initStatuses = pod.status?.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    const terminated = c.state?.terminated;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (terminated) {
      reason = terminatedReason(c, 'Init:')!;
      initializing = true;
    } else if (sidecars.has(c.name) && c.started === true) {
      if (c.ready === true) continue;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
      initializing = true;
    }
    break;
  }

  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated) reason = terminatedReason(c, '')!;
      else if (c.ready === true && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }

  if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { status: reason, ready: `${ready}/${total}`, restarts };
}
