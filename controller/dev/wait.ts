// A bounded poll that stops at once when the session is interrupted (Ctrl-C during start-up).
import { setTimeout as sleep } from 'node:timers/promises';

export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

export interface PollSpec {
  /** What is awaited, for the timeout message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Calls `probe` until it returns true; a string return (or an exception) is "not yet" and says
 * what was seen. Throws Interrupted when `signal` aborts, an Error naming `what` and the last
 * thing seen after `timeoutMs`.
 */
export async function pollUntil(probe: () => Promise<true | string>, spec: PollSpec): Promise<void> {
  const deadline = Date.now() + spec.timeoutMs;
  let seen = '';
  for (;;) {
    if (spec.signal?.aborted) throw new Interrupted();
    try {
      const result = await probe();
      if (result === true) return;
      seen = result;
    } catch (error) {
      seen = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${Math.round(spec.timeoutMs / 1000)}s waiting for ${spec.what}${seen ? `; last seen: ${seen}` : ''}`);
    try {
      await sleep(spec.intervalMs ?? 250, undefined, spec.signal ? { signal: spec.signal } : {});
    } catch {
      throw new Interrupted();
    }
  }
}
