// Optimistic concurrency: read, mutate, write with the read's resourceVersion; on 409 Conflict,
// read again and redo the mutation. The mutation must be a function of what it reads.
import { systemClock, type Clock } from './clock.ts';
import { isConflict } from './errors.ts';

export interface RetryOnConflictOptions {
  /** Attempts in total (default 5, as client-go's DefaultRetry). */
  attempts?: number;
  /** Pause between attempts (default 10 ms, growing by half each time). */
  delayMs?: number;
  clock?: Clock;
}

/**
 * Runs `mutate(await readFresh(attempt))` until it does not fail with a Conflict. `attempt` is
 * 0 on the first try, so a caller may read its cache first and the API server after a conflict:
 *
 *   await retryOnConflict(
 *     (attempt) => attempt === 0 ? cache.get(ns, name) : client.request({ method: 'GET', path }),
 *     (fresh) => client.request({ method: 'PUT', path, body: withStatus(fresh) }),
 *   );
 *
 * Any other error, or a Conflict on the last attempt, is thrown.
 */
export async function retryOnConflict<T, R>(
  readFresh: (attempt: number) => T | Promise<T>,
  mutate: (fresh: T, attempt: number) => Promise<R>,
  options: RetryOnConflictOptions = {},
): Promise<R> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const clock = options.clock ?? systemClock;
  let delay = options.delayMs ?? 10;
  for (let attempt = 0; ; attempt++) {
    const fresh = await readFresh(attempt);
    try {
      return await mutate(fresh, attempt);
    } catch (error) {
      if (!isConflict(error) || attempt + 1 >= attempts) throw error;
    }
    await clock.sleep(delay);
    delay = Math.ceil(delay * 1.5);
  }
}
