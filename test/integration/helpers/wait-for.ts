// Polling with a deadline and a failure message that says what was awaited and what was last seen.
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

export interface WaitForOptions {
  /** What is being waited for, e.g. "3 Ready pods of ReplicaSet web". */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Calls `fn` until it returns a value other than undefined, null or false, and returns that value.
 * An exception from `fn` counts as "not yet" (its message is kept for the failure report).
 * After `timeoutMs` (default 30 s) throws an Error naming `what`, the last value and the last error.
 */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, opts: WaitForOptions): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let lastValue: unknown = undefined;
  let lastError: unknown = undefined;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
      lastValue = value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const lines = [`timed out after ${(timeoutMs / 1000).toFixed(1)}s (${attempts} attempts) waiting for ${opts.what}`];
  if (lastError !== undefined) lines.push(`  last error: ${lastError instanceof Error ? lastError.message : inspect(lastError)}`);
  else lines.push(`  last value: ${inspect(lastValue, { depth: 4, breakLength: 120 })}`);
  throw new Error(lines.join('\n'));
}

/** Like waitFor, for a probe that describes what it saw: return `true` when done, or a string saying why not. */
export async function waitUntil(fn: () => Promise<true | string> | true | string, opts: WaitForOptions): Promise<void> {
  let seen = '';
  try {
    await waitFor(async () => {
      const r = await fn();
      if (r === true) return true;
      seen = r;
      return undefined;
    }, opts);
  } catch (error) {
    throw new Error(`${(error as Error).message.split('\n')[0]}\n  last seen: ${seen}`, { cause: error });
  }
}
