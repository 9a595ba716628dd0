// A real Prometheus for integration tests (Debian's package, installed by install.sh beside this
// file), listening on 127.0.0.1 and scraping, every second, an exporter the test serves on
// 127.0.0.1 with values it sets. Nothing here connects anywhere but 127.0.0.1.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs install.sh (a no-op when the binary is cached) and returns the binary's path. */
export function installPrometheus(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(here, 'install.sh')], { timeout: 10 * 60_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`test/prometheus/install.sh failed: ${error.message}\n${stderr}`));
        return;
      }
      const lines = stdout.trim().split('\n');
      resolve(lines[lines.length - 1]!);
    });
  });
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Exporter {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Sets a gauge's value (exposed as `<name> <value>`). */
  set(name: string, value: number): void;
  close(): Promise<void>;
}

/** Serves /metrics in the Prometheus text format on 127.0.0.1. */
export async function startExporter(): Promise<Exporter> {
  const gauges = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    const lines: string[] = [];
    for (const [name, value] of gauges) lines.push(`# TYPE ${name} gauge`, `${name} ${Number.isNaN(value) ? 'NaN' : value}`);
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(lines.join('\n') + '\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    set: (name, value) => void gauges.set(name, value),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RunningPrometheus {
  /** http://127.0.0.1:<port> */
  url: string;
  process: ChildProcess;
  /** Resolves once `query` returns at least one sample (the first scrape has landed). */
  waitForSeries(query: string, timeoutMs?: number): Promise<void>;
  /** The instant value of a query, or undefined while it has no sample. */
  query(query: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Starts Prometheus on a free 127.0.0.1 port, scraping `targets` (host:port) every second. */
export async function startPrometheus(targets: string[]): Promise<RunningPrometheus> {
  const bin = await installPrometheus();
  const dir = mkdtempSync(join(tmpdir(), 'ramp-prometheus-'));
  const port = await freePort();
  for (const t of targets) if (!t.startsWith('127.0.0.1:')) throw new Error(`refusing to scrape ${t}: targets must be on 127.0.0.1`);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: exporter',
      '    static_configs:',
      `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'prometheus.log');
  const { openSync } = await import('node:fs');
  const out = openSync(logFile, 'a');
  const child = spawn(
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', out, out] },
  );
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const query = async (q: string): Promise<number | undefined> => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { data?: { result?: Array<{ value?: [number, string] }> } };
    const v = body.data?.result?.[0]?.value?.[1];
    return v === undefined ? undefined : Number(v);
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = readFileSync(logFile, 'utf8').slice(-2000);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`prometheus exited with code ${child.exitCode} before it was ready:\n${log}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus on ${url} not ready within 60 s`);
    }
    await sleep(200);
  }
  return {
    url,
    process: child,
    query,
    async waitForSeries(q, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        try {
          if ((await query(q)) !== undefined) return;
        } catch {
          // not answering yet
        }
        if (Date.now() > end) throw new Error(`no sample for ${q} from ${url} within ${timeoutMs / 1000} s`);
        await sleep(250);
      }
    },
    stop,
  };
}
