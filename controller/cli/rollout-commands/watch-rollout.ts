// A stream of one Rollout's states for `ramp status --watch`: a GET, then a watch from that
// resourceVersion (fieldSelector on the name); when the watch ends or fails — the API server
// closes watches every few minutes, a resourceVersion may expire — read again and watch again.
import type { Rollout } from '../../../functions/api/index.ts';
import type { WatchHandle } from '../../kube/client.ts';
import { resourcePath } from '../../kube/resource.ts';
import { sleepUnlessAborted } from './cli-io.ts';
import type { Connection } from './connection.ts';
import { Rollouts } from './resources.ts';
import { NotFound, getRollout } from './rollout-api.ts';

interface WatchEvent {
  type: string;
  object: unknown;
}

/**
 * Yields the rollout as read, then every change; yields `null` and ends when it is deleted (or
 * not found). Ends when `signal` aborts. An error of the first read is thrown; later ones (the
 * API server away for longer than the client's retries) are reported to `onError` and the read
 * is tried again after `retryDelayMs`, so a long wait survives an API server restart.
 */
export async function* watchRollout(
  conn: Connection,
  name: string,
  signal: AbortSignal,
  options: { retryDelayMs?: number; onError?: (error: unknown) => void } = {},
): AsyncGenerator<Rollout | null> {
  const path = resourcePath(Rollouts, conn.namespace);
  const retryDelayMs = options.retryDelayMs ?? 1000;
  let first = true;
  while (!signal.aborted) {
    let rollout: Rollout;
    try {
      rollout = await getRollout(conn, name);
    } catch (error) {
      if (error instanceof NotFound) {
        yield null;
        return;
      }
      if (first || signal.aborted) throw error;
      options.onError?.(error);
      await sleepUnlessAborted(retryDelayMs, signal);
      continue;
    }
    first = false;
    yield rollout;
    if (signal.aborted) return;

    const events: WatchEvent[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    let handle: WatchHandle | undefined;
    try {
      handle = await conn.client.watch(
        path,
        { fieldSelector: `metadata.name=${name}`, resourceVersion: rollout.metadata?.resourceVersion, allowWatchBookmarks: true },
        (type, object) => {
          events.push({ type, object });
          notify();
        },
        () => {
          ended = true;
          notify();
        },
        signal,
      );
    } catch {
      await sleepUnlessAborted(retryDelayMs, signal);
      continue;
    }
    const onAbort = (): void => {
      ended = true;
      notify();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        let event: WatchEvent | undefined;
        while ((event = events.shift()) !== undefined) {
          if (event.type === 'ADDED' || event.type === 'MODIFIED') yield event.object as Rollout;
          else if (event.type === 'DELETED') {
            yield null;
            return;
          } else if (event.type === 'ERROR') ended = true;
        }
        if (ended || signal.aborted) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      handle.abort();
    }
    await sleepUnlessAborted(retryDelayMs, signal);
  }
}
