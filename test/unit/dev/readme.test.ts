// The README stays true to a fresh clone: its first command is `npm ci && npm start`, which runs
// `ramp up`; the "What is here today" table links every doc in docs/; every relative link resolves.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../../controller/localcluster/binaries.ts';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('the first command is npm ci && npm start, and npm start runs ramp up', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    assert.match(firstBlock.split('\n')[0] ?? '', /^npm ci && npm start\b/);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['start'], 'node bin/ramp.js up');
  });

  it('"What is here today" links every document in docs/', () => {
    const section = readme.slice(readme.indexOf('## What is here today'), readme.indexOf('\n## ', readme.indexOf('## What is here today') + 1));
    const docs = readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md'));
    assert.deepEqual(docs.filter((f) => !section.includes(`](docs/${f})`)), []);
  });

  it('every relative link in README.md and docs/getting-started.md points at a file that exists', () => {
    for (const [file, text] of [
      ['README.md', readme],
      ['docs/getting-started.md', readFileSync(join(repoRoot, 'docs', 'getting-started.md'), 'utf8')],
    ] as const) {
      const base = join(repoRoot, file, '..');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        assert.ok(existsSync(join(base, target)), `${file}: ${target}`);
      }
    }
  });
});
