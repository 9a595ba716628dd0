#!/usr/bin/env node
// Entry point of the `ramp` CLI (also installed as the kubectl plugin `kubectl-ramp`).
// Ramp runs its TypeScript sources directly on Node >= 24 (type stripping); see docs/runtime.md.
import { ignoreClosedStdout } from '../controller/cli/closed-stdout.ts';
import { main } from '../controller/cli/main.ts';

ignoreClosedStdout();
process.exitCode = await main(process.argv.slice(2));
