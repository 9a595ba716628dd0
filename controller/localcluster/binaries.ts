// The control-plane binaries: where they are, which are missing, and building them with
// test/cluster/build.sh (its progress streamed line by line).
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentBinaries, parseVersionsEnv, type Versions } from './layout.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const buildScript = join(repoRoot, 'test', 'cluster', 'build.sh');

export function readVersions(root: string = repoRoot): Versions {
  return parseVersionsEnv(readFileSync(join(root, 'test', 'cluster', 'versions.env'), 'utf8'));
}

export function missingBinaries(binDir: string): string[] {
  return componentBinaries.filter((name) => {
    try {
      accessSync(join(binDir, name), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

/** Runs build.sh, passing each output line to `onLine`; resolves with its exit code. */
export function runBuild(onLine: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [buildScript], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (stream: NodeJS.ReadableStream): void => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        rest += chunk;
        const lines = rest.split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      });
      stream.on('end', () => {
        if (rest !== '') onLine(rest);
      });
    };
    forward(child.stdout);
    forward(child.stderr);
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
