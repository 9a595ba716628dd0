// Writes the CRDs derived from functions/api to charts/ramp/crds/ (npm run generate).
// Stale *.argoproj.io.yaml files (a kind that no longer exists) are removed.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdFiles, rampCrdFiles } from '../functions/api/crd/crd-yaml.ts';
import { findStructuralViolations } from '../functions/api/crd/structural-violations.ts';
import { generateCrds, generateRampCrds } from '../functions/api/crd/custom-resource-definition.ts';

const crdDirectory = fileURLToPath(new URL('../charts/ramp/crds/', import.meta.url));

for (const crd of [...generateCrds(), ...generateRampCrds()]) {
  const violations = findStructuralViolations(crd.spec.versions[0]!.schema.openAPIV3Schema);
  if (violations.length > 0) {
    process.stderr.write(`${crd.metadata.name} is not structural:\n  ${violations.join('\n  ')}\n`);
    process.exit(1);
  }
}

mkdirSync(crdDirectory, { recursive: true });
const files = [...crdFiles(), ...rampCrdFiles()];
const written = new Set(files.map((file) => file.fileName));
for (const existing of readdirSync(crdDirectory)) {
  if ((existing.endsWith('.argoproj.io.yaml') || existing.endsWith('.ramp.dev.yaml')) && !written.has(existing)) rmSync(join(crdDirectory, existing));
}
for (const file of files) {
  writeFileSync(join(crdDirectory, file.fileName), file.text);
  process.stdout.write(`wrote charts/ramp/crds/${file.fileName}\n`);
}
