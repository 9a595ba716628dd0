// The Dockerfile cannot be built here (no Docker engine), so these checks read it: the base the
// runtime docs promise, a non-root numeric user, and a COPY for every directory the CLI loads
// (found by following relative imports from bin/ramp.js), with .dockerignore letting them in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from './helm.ts';

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');

/** Every file reachable from `entry` through relative imports (static and dynamic). */
function importClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [resolve(repoRoot, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) queue.push(resolve(dirname(file), m[1]!));
  }
  return seen;
}

test('Dockerfile › FROM node:24-slim, production dependencies only, a numeric non-root USER, node bin/ramp.js', () => {
  const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  assert.ok(froms.length > 0 && froms.every((f) => f === 'node:24-slim'), `every stage is node:24-slim: ${froms.join(', ')}`);
  assert.match(dockerfile, /npm ci --omit=dev/);
  const user = /^USER\s+(\d+):(\d+)\s*$/m.exec(dockerfile);
  assert.ok(user && user[1] !== '0', 'a numeric non-root USER (runAsNonRoot can verify it)');
  assert.match(dockerfile, /^ENTRYPOINT \["node", "bin\/ramp\.js"\]$/m);
});

test('Dockerfile › copies every directory the CLI imports, and .dockerignore lets them through', () => {
  const files = importClosure('bin/ramp.js');
  const topDirs = new Set([...files].map((f) => relative(repoRoot, f).split('/')[0]!).filter((d) => !d.includes('.')));
  assert.ok(topDirs.has('controller') && topDirs.has('webhooks') && topDirs.has('functions'), [...topDirs].join(', '));
  const copied = new Set([...dockerfile.matchAll(/^COPY\s+(?!--from)(\S+)\s+\S+$/gm)].map((m) => m[1]!));
  for (const dir of topDirs) {
    assert.ok(copied.has(dir), `the Dockerfile copies ${dir}/ (imported by the CLI)`);
    assert.ok(dockerignore.includes(`!${dir}/**`), `.dockerignore lets ${dir}/ into the build context`);
  }
  assert.ok(copied.has('package.json'), 'package.json (ramp version reads it)');
  assert.ok(!topDirs.has('test') && !topDirs.has('scripts'), 'the CLI does not import test/ or scripts/');
});
