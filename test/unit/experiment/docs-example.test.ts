// The example in docs/experiments.md passes validation and, replayed through the decision
// core, ends the way the page says (the cluster version is test/integration/experiment-docs-example.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { AnalysisTemplate, Experiment } from '../../../functions/api/index.ts';
import { validateAnalysisTemplate, validateExperiment } from '../../../functions/validate/index.ts';
import { World } from './world.ts';

function docsExample(): { template: AnalysisTemplate; experiment: Experiment } {
  const text = readFileSync(new URL('../../../docs/experiments.md', import.meta.url), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(text)?.[1];
  assert.ok(block, 'docs/experiments.md has a yaml block');
  const docs = parseAllDocuments(block).map((d) => d.toJS() as { kind?: string });
  const template = docs.find((d) => d.kind === 'AnalysisTemplate') as AnalysisTemplate | undefined;
  const experiment = docs.find((d) => d.kind === 'Experiment') as Experiment | undefined;
  assert.ok(template && experiment, 'the example has an AnalysisTemplate and an Experiment');
  return { template, experiment };
}

describe('docs/experiments.md example', () => {
  it('is valid', () => {
    const { template, experiment } = docsExample();
    assert.deepEqual(validateAnalysisTemplate(template), []);
    assert.deepEqual(validateExperiment(experiment), []);
  });

  it('runs as described: Running, the smoke run for the canary ReplicaSet, Successful after the duration, scaled down 5 s later', () => {
    const { template, experiment } = docsExample();
    template.metadata = { ...template.metadata, namespace: 'default' };
    const world = new World(experiment, [template]);
    world.step();
    assert.equal(world.status.phase, 'Running');
    assert.deepEqual(world.replicaSets.map((rs) => [rs.name, rs.replicas]), [['checkout-ab-baseline', 2], ['checkout-ab-canary', 1]]);
    assert.deepEqual(world.services.map((s) => s.name), ['checkout-ab-canary']);
    assert.deepEqual(world.run('checkout-ab-smoke').spec.args, [{ name: 'target', value: 'checkout-ab-canary' }]);
    world.setRunPhase('checkout-ab-smoke', 'Successful');
    world.advance(10);
    world.step();
    assert.equal(world.status.phase, 'Successful');
    assert.equal(world.status.message, 'Required AnalysisRuns completed');
    world.advance(5);
    world.step();
    assert.deepEqual(world.replicaSets.map((rs) => rs.replicas), [0, 0]);
    assert.deepEqual(world.services, []);
  });
});
