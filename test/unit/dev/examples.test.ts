// examples/: every manifest passes `ramp lint` (the admission checks, offline) without a single
// problem or warning, and the table `ramp up` prints its commands from matches the files.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { examples, examplesDir, DEMO_NAMESPACE, intoNamespace, parseManifests, readExample } from '../../../controller/dev/examples.ts';
import { formatLintLine, lintDocuments } from '../../../functions/admission/index.ts';
import type { Rollout } from '../../../functions/api/index.ts';

const files = readdirSync(examplesDir).sort();
const manifests = files.filter((f) => /\.ya?ml$/.test(f));

describe('examples/', () => {
  it('holds YAML manifests (and at most a README)', () => {
    assert.ok(manifests.length >= 2, `manifests in ${examplesDir}: ${manifests.join(', ')}`);
    assert.deepEqual(files.filter((f) => !manifests.includes(f) && f !== 'README.md'), []);
  });

  for (const file of manifests) {
    it(`${file}: ramp lint finds nothing, not even a warning`, () => {
      const report = lintDocuments([{ file: `examples/${file}`, text: readFileSync(join(examplesDir, file), 'utf8') }], []);
      assert.deepEqual(report.lines.map(formatLintLine), []);
      assert.equal(report.errors, 0);
      assert.ok(report.checked >= 1, 'at least one Rollout was checked');
    });
  }

  it('every manifest is an example ramp up knows, and each entry names the Rollout, container and image in its file', () => {
    assert.deepEqual(examples.map((e) => e.file).sort(), manifests.map((f) => `examples/${f}`));
    for (const example of examples) {
      const objects = readExample(example, DEMO_NAMESPACE);
      const rollout = objects.find((o) => o.kind === 'Rollout') as Rollout | undefined;
      assert.equal(rollout?.metadata?.name, example.rollout, example.file);
      const container = rollout?.spec.template?.spec?.containers?.find((c) => c.name === example.container);
      assert.equal(container?.image, example.image, example.file);
      assert.notEqual(example.nextImage, example.image);
      for (const o of objects) assert.equal(o.kind === 'Namespace' ? o.metadata?.name : o.metadata?.namespace, DEMO_NAMESPACE, `${example.file}: ${o.kind} ${o.metadata?.name} is in ${DEMO_NAMESPACE}`);
    }
  });

  it('the canary example has pause steps to promote past and a Service each for stable and canary', () => {
    const objects = readExample(examples.find((e) => e.name === 'canary')!, DEMO_NAMESPACE);
    const rollout = objects.find((o) => o.kind === 'Rollout') as Rollout;
    const canary = rollout.spec.strategy?.canary;
    assert.ok(canary?.steps?.some((s) => s.pause !== undefined && s.pause.duration === undefined), 'an indefinite pause');
    const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata?.name);
    assert.deepEqual([canary?.stableService, canary?.canaryService].sort(), services.sort());
  });
});

describe('intoNamespace', () => {
  it('renames the Namespace and moves namespaced objects', () => {
    const objects = parseManifests('apiVersion: v1\nkind: Namespace\nmetadata: {name: ramp-demo}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ramp-demo}\n---\n');
    assert.deepEqual(
      intoNamespace(objects, 'other').map((o) => [o.kind, o.metadata?.name, o.metadata?.namespace]),
      [
        ['Namespace', 'other', undefined],
        ['Service', 's', 'other'],
      ],
    );
  });

  it('refuses cluster-scoped kinds other than Namespace', () => {
    const objects = parseManifests('apiVersion: argoproj.io/v1alpha1\nkind: ClusterAnalysisTemplate\nmetadata: {name: t}\n');
    assert.throws(() => intoNamespace(objects, 'x'), /examples may hold only namespaced kinds/);
  });

  it('parseManifests names the document that is not an object', () => {
    assert.throws(() => parseManifests('apiVersion: v1\nkind: Service\n---\n- a list\n', 'f.yaml'), /f\.yaml:2: not a Kubernetes object/);
  });
});
