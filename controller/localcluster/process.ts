// Long-running component processes: each in its own process group (detached), with a pid
// file and a log file, stopped by group with SIGTERM then SIGKILL. A pid is only ever
// signalled after /proc/<pid>/cmdline shows it belongs to this cluster (contains its state dir).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  logsDir: string;
  pidsDir: string;
  cwd?: string;
}

export interface ComponentProcess {
  name: string;
  pid: number;
  logFile: string;
  pidFile: string;
}

export const logFileOf = (logsDir: string, name: string): string => join(logsDir, `${name}.log`);
export const pidFileOf = (pidsDir: string, name: string): string => join(pidsDir, `${name}.pid`);

export function startComponent(spec: StartSpec): ComponentProcess {
  const logFile = logFileOf(spec.logsDir, spec.name);
  const pidFile = pidFileOf(spec.pidsDir, spec.name);
  const fd = openSync(logFile, 'a');
  try {
    writeFileSync(fd, `# ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
    const child = spawn(spec.command, spec.args, {
      detached: true, // setsid: own session and process group, survives the CLI exiting
      stdio: ['ignore', fd, fd],
      env: spec.env,
      cwd: spec.cwd ?? spec.logsDir,
    });
    child.on('error', () => {}); // reported through the health wait (process not alive)
    if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
    child.unref();
    writeFileSync(pidFile, `${child.pid}\n`);
    return { name: spec.name, pid: child.pid, logFile, pidFile };
  } finally {
    closeSync(fd);
  }
}

export function readPidFile(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

interface ProcStat {
  state: string;
  pgrp: number;
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses). */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  if (state === undefined || !Number.isInteger(pgrp)) return undefined;
  return { state, pgrp };
}

function procStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Running (a zombie counts as gone: it holds no port and no file). */
export function processAlive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

export function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** True when the live process `pid` mentions `marker` (the state dir) in its command line. */
export function processBelongsTo(pid: number, marker: string): boolean {
  const cmdline = cmdlineOf(pid);
  return cmdline !== undefined && processAlive(pid) && cmdline.includes(marker);
}

/** Live members of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') out.push(Number(entry));
  }
  return out;
}

/** Every live process whose command line contains `marker`: finds leftovers whose pid files are gone. */
export function processesMentioning(marker: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    if (processBelongsTo(pid, marker)) out.push(pid);
  }
  return out;
}

export type StopOutcome = 'not-running' | 'not-ours' | 'terminated' | 'killed' | 'survived';

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid) && groupMembers(pid).length === 0) return true;
    await sleep(100);
  }
  return !processAlive(pid) && groupMembers(pid).length === 0;
}

/**
 * Stops the process group led by `pid` if, and only if, the process belongs to `marker`:
 * SIGTERM to the group, then SIGKILL after `graceMs`.
 */
export async function stopProcessGroup(pid: number, marker: string, graceMs = 10_000): Promise<StopOutcome> {
  if (!processAlive(pid)) return 'not-running';
  if (!processBelongsTo(pid, marker)) return 'not-ours';
  signalGroup(pid, 'SIGTERM');
  if (await waitGone(pid, graceMs)) return 'terminated';
  signalGroup(pid, 'SIGKILL');
  return (await waitGone(pid, 5_000)) ? 'killed' : 'survived';
}
