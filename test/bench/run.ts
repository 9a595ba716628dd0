// `npm run bench`: every benchmark, each reporting ratios against a baseline measured in the
// same run (see docs/performance.md). Benchmarks print numbers; they never pass or fail on time.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = ['webhook-latency.ts'];
let failed = false;
for (const file of benches) {
  process.stdout.write(`== ${file}\n`);
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
