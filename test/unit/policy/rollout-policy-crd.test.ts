import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findStructuralViolations, generateRampCrds, rampCrdFiles } from '../../../functions/api/index.ts';

const crdDirectory = fileURLToPath(new URL('../../../charts/ramp/crds/', import.meta.url));

describe('RolloutPolicy CRD', () => {
  it('is cluster-scoped in ramp.dev/v1alpha1 with short name rpol', () => {
    const [crd] = generateRampCrds();
    assert.equal(crd?.metadata.name, 'rolloutpolicies.ramp.dev');
    assert.equal(crd?.spec.scope, 'Cluster');
    assert.equal(crd?.spec.group, 'ramp.dev');
    assert.equal(crd?.spec.versions[0]?.name, 'v1alpha1');
    assert.deepEqual(crd?.spec.names.shortNames, ['rpol']);
  });

  it('is structural', () => {
    for (const crd of generateRampCrds()) assert.deepEqual(findStructuralViolations(crd.spec.versions[0]!.schema.openAPIV3Schema), []);
  });

  for (const file of rampCrdFiles()) {
    it(`charts/ramp/crds/${file.fileName} equals what functions/api generates`, () => {
      assert.equal(readFileSync(crdDirectory + file.fileName, 'utf8'), file.text, 'run `npm run generate` and commit the result');
    });
  }
});
