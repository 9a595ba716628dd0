// Bounded waits for cluster start-up. Every wait names the component and its log file when it
// gives up, and gives up early when the component's process has died.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive, type ComponentProcess } from './process.ts';

export class StartupError extends Error {}

/** Result of one probe: done with a value, or not yet with a note on what was seen. */
export type Probe<T> = { done: true; value: T } | { done: false; seen: string };

export interface WaitSpec {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** The process whose readiness this is; its death ends the wait at once. */
  component?: ComponentProcess;
}

export function tailOf(file: string, lines = 15): string {
  try {
    const all = readFileSync(file, 'utf8').trimEnd().split('\n');
    return all.slice(-lines).map((l) => `    ${l}`).join('\n');
  } catch {
    return '    (no log file)';
  }
}

function explain(spec: WaitSpec, headline: string, seen: string): string {
  const parts = [headline];
  if (seen !== '') parts.push(`  last seen: ${seen}`);
  if (spec.component) parts.push(`  log: ${spec.component.logFile}`, `  last lines:\n${tailOf(spec.component.logFile)}`);
  return parts.join('\n');
}

export async function waitUntil<T>(probe: () => Promise<Probe<T>>, spec: WaitSpec): Promise<T> {
  const started = Date.now();
  const interval = spec.intervalMs ?? 250;
  let seen = '';
  for (;;) {
    if (spec.component && !processAlive(spec.component.pid)) {
      throw new StartupError(explain(spec, `${spec.component.name} (pid ${spec.component.pid}) exited while waiting for ${spec.what}`, seen));
    }
    try {
      const result = await probe();
      if (result.done) return result.value;
      seen = result.seen;
    } catch (error) {
      seen = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() - started >= spec.timeoutMs) {
      throw new StartupError(explain(spec, `timed out after ${Math.round(spec.timeoutMs / 1000)}s waiting for ${spec.what}`, seen));
    }
    await sleep(interval);
  }
}
