// What the rollout commands need from their surroundings beyond CommandIO: whether stdout is a
// terminal (for in-place redraws and colour), its size, a signal that ends a --watch (Ctrl-C),
// and the clock. Tests pass these explicitly; on the console they come from the process.
import type { CommandIO } from '../command.ts';

export interface CliIO extends CommandIO {
  /** stdout is a terminal. Default: process.stdout.isTTY. */
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  /** Aborting it ends a --watch. Default: SIGINT/SIGTERM of this process. */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface Terminal {
  isTTY: boolean;
  columns: number;
  rows: number;
  colour: boolean;
}

export function terminalOf(io: CliIO, noColour = false): Terminal {
  const isTTY = io.isTTY ?? process.stdout.isTTY === true;
  const env = process.env;
  return {
    isTTY,
    columns: io.columns ?? (isTTY ? process.stdout.columns : undefined) ?? 0,
    rows: io.rows ?? (isTTY ? process.stdout.rows : undefined) ?? 0,
    colour: isTTY && !noColour && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb',
  };
}

export function nowOf(io: CliIO): Date {
  return io.now ? io.now() : new Date();
}

/**
 * The signal that ends a watch: the caller's, or one aborted by Ctrl-C (SIGINT) or SIGTERM.
 * `release()` removes the process handlers again.
 */
export function interruptSignal(io: CliIO): { signal: AbortSignal; release: () => void } {
  if (io.signal) return { signal: io.signal, release: () => {} };
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
