import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { runLint } from '../../../controller/cli/commands/lint.ts';
import { main } from '../../../controller/cli/main.ts';
import { formatLintLine, lintDocuments } from '../../../functions/admission/index.ts';
import { aRollout } from '../../fixtures/index.ts';

const examples = fileURLToPath(new URL('../../../docs/examples/policies/', import.meta.url));
const productionSafety = readFileSync(`${examples}production-safety.yaml`, 'utf8');
const platformDefaults = readFileSync(`${examples}platform-defaults.yaml`, 'utf8');

function yamlDocs(...docs: unknown[]): string {
  return docs.map((d) => stringify(d)).join('---\n');
}

const prodNamespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { env: 'prod' } } };

interface Captured {
  code: number;
  out: string[];
  err: string[];
}

async function lint(args: string[], files: Record<string, string>, stdin = ''): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runLint(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, {
    readFile: async (path) => {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return files[path]!;
    },
    readStdin: async () => stdin,
  });
  return { code, out, err };
}

describe('ramp lint', () => {
  it('exit 0 and no output when every document is valid', async () => {
    const result = await lint(['ok.yaml'], { 'ok.yaml': yamlDocs(aRollout().build(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }) });
    assert.deepEqual(result, { code: 0, out: [], err: [] });
  });

  it('exit 1 with one line per problem, FILE:DOC: path: message', async () => {
    const bad = aRollout().withCanarySteps([{ setWeight: 20 }, { setWeight: 150 }]).build() as Record<string, any>;
    delete bad['spec'].selector;
    const result = await lint(['apps.yaml'], { 'apps.yaml': yamlDocs(aRollout().build(), bad) });
    assert.equal(result.code, 1);
    assert.deepEqual(
      result.out.filter((l) => !l.includes('warning:')).sort(),
      [
        'apps.yaml:2: spec.selector: Required value: a label selector matching spec.template.metadata.labels, e.g. {matchLabels: {app: my-app}}',
        'apps.yaml:2: spec.strategy.canary.steps[1].setWeight: Invalid value: 150: must be between 0 and 100',
      ].sort(),
    );
    assert.match(result.err.join('\n'), /ramp lint: 2 problems in 2 checked documents/);
  });

  it('names typos (unknown fields) that the API server would silently drop', async () => {
    const rollout = aRollout().build() as Record<string, any>;
    rollout['spec'].strategy.canary.maxSurg = 1;
    const result = await lint(['r.yaml'], { 'r.yaml': stringify(rollout) });
    assert.equal(result.code, 1);
    assert.match(result.out[0] ?? '', /^r\.yaml:1: spec\.strategy\.canary\.maxSurg: Forbidden: unknown field; known fields: canaryService, /);
  });

  it('reads standard input for "-"', async () => {
    const result = await lint(['-'], {}, stringify({ ...aRollout().build(), spec: { ...aRollout().build().spec, replicas: -1 } }));
    assert.equal(result.code, 1);
    assert.match(result.out[0] ?? '', /^<stdin>:1: spec\.replicas: Invalid value: -1/);
  });

  it('applies --policy files: deny rules fail, warn rules warn, audit rules are listed', async () => {
    const rollout = aRollout().named('web').inNamespace('shop').withCanarySteps([{ setWeight: 50 }]).build();
    const result = await lint(['app.yaml', '--policy', 'policy.yaml'], { 'app.yaml': yamlDocs(prodNamespace, rollout), 'policy.yaml': productionSafety });
    assert.equal(result.code, 1);
    assert.deepEqual(result.out, [
      'app.yaml:2: spec.strategy: RolloutPolicy "production-safety" rule "must-run-analysis": Rollouts in namespaces labelled env=prod must run analysis: runs no analysis: add a background analysis (canary.analysis), an analysis step, or prePromotionAnalysis/postPromotionAnalysis (blueGreen)',
      'app.yaml:2: spec.strategy.canary.steps[0].setWeight: warning: RolloutPolicy "production-safety" rule "small-steps": no setWeight step may jump more than 25: raises the weight from 0 to 50 (+50); at most +25 per step',
      'app.yaml:2: spec.strategy.canary.steps: warning: RolloutPolicy "production-safety" rule "small-steps": no setWeight step may jump more than 25: end at weight 50, so promotion jumps to 100 (+50); add setWeight steps up to at least 75',
      'app.yaml:2: spec.progressDeadlineAbort: audit: RolloutPolicy "production-safety" rule "abort-on-deadline": production Rollouts should abort when they exceed their progress deadline: must be set',
    ]);
  });

  it('policy defaults count: the platform default analysis satisfies the production rule', async () => {
    const rollout = aRollout().named('web').inNamespace('shop').withCanarySteps([{ setWeight: 25 }, { setWeight: 50 }, { setWeight: 75 }]).build();
    const result = await lint(['app.yaml', '--policy=safety.yaml', '--policy', 'defaults.yaml'], {
      'app.yaml': yamlDocs(prodNamespace, rollout),
      'safety.yaml': productionSafety,
      'defaults.yaml': platformDefaults,
    });
    assert.deepEqual(result, { code: 0, out: [], err: [] });
  });

  it('says when a namespaceSelector could not be evaluated', async () => {
    const result = await lint(['app.yaml', '--policy', 'p.yaml'], { 'app.yaml': stringify(aRollout().inNamespace('shop').build()), 'p.yaml': productionSafety });
    assert.equal(result.code, 0);
    assert.deepEqual(result.out, [
      'app.yaml:1: <root>: warning: RolloutPolicy "production-safety" was not evaluated: the labels of namespace "shop" are unknown; add its Namespace document to the input',
    ]);
  });

  it('reports invalid RolloutPolicies, in the checked files and in --policy files', async () => {
    const policy = { apiVersion: 'ramp.dev/v1alpha1', kind: 'RolloutPolicy', metadata: { name: 'p' }, spec: { rules: [{ name: 'r', message: 'm', enforcementAction: 'block', require: { runsAnalysis: true } }] } };
    const inFile = await lint(['p.yaml'], { 'p.yaml': stringify(policy) });
    assert.equal(inFile.code, 1);
    assert.deepEqual(inFile.out, ['p.yaml:1: spec.rules[0].enforcementAction: Unsupported value: "block": supported values: "deny", "warn", "audit"']);
    const asPolicy = await lint(['a.yaml', '--policy', 'p.yaml'], { 'a.yaml': stringify(aRollout().build()), 'p.yaml': stringify(policy) });
    assert.equal(asPolicy.code, 1);
    assert.equal(asPolicy.out.length, 1);
  });

  it('warns about conflicting policies', async () => {
    const a = { apiVersion: 'ramp.dev/v1alpha1', kind: 'RolloutPolicy', metadata: { name: 'a' }, spec: { defaults: { rollout: { revisionHistoryLimit: 3 } } } };
    const b = { ...a, metadata: { name: 'b' }, spec: { defaults: { rollout: { revisionHistoryLimit: 4 } } } };
    const result = await lint(['r.yaml', '--policy', 'p.yaml'], { 'r.yaml': stringify(aRollout().build()), 'p.yaml': yamlDocs(a, b) });
    assert.equal(result.code, 0);
    assert.deepEqual(result.out, [
      'p.yaml:1: spec.defaults.rollout.revisionHistoryLimit: warning: conflicting policy defaults at priority 0 (RolloutPolicy "a" says 3, RolloutPolicy "b" says 4); neither value was applied — give one policy a higher spec.priority or make them agree',
      'r.yaml:1: spec.revisionHistoryLimit: warning: conflicting policy defaults at priority 0 (RolloutPolicy "a" says 3, RolloutPolicy "b" says 4); neither value was applied — give one policy a higher spec.priority or make them agree',
    ]);
  });

  it('YAML syntax errors and non-objects are problems, with the document number', async () => {
    const result = await lint(['x.yaml'], { 'x.yaml': `${stringify(aRollout().build())}---\nkey: [unclosed\n---\n- a list\n---\nfoo: bar\n` });
    assert.equal(result.code, 1);
    assert.match(result.out[0] ?? '', /^x\.yaml:2: <root>: YAML error at line \d+, column \d+: /);
    assert.equal(result.out[1], 'x.yaml:3: <root>: not a Kubernetes object (a mapping with apiVersion, kind and metadata)');
    assert.equal(result.out[2], 'x.yaml:4: kind: Required value: every document needs apiVersion and kind');
  });

  it('warns about references missing from the input when the input has objects of that kind', async () => {
    const rollout = aRollout().withBlueGreen('web-active', { previewService: 'web-preview' }).build();
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-active', namespace: 'default' }, spec: { selector: { app: 'demo' } } };
    const result = await lint(['r.yaml'], { 'r.yaml': yamlDocs(rollout, service) });
    assert.equal(result.code, 0);
    assert.ok(result.out.some((l) => l.startsWith('r.yaml:1: spec.strategy.blueGreen.previewService: warning: ')), result.out.join('\n'));
  });

  describe('usage errors → exit 2', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['no files', [], /name at least one file/],
      ['an unknown flag', ['a.yaml', '--strict'], /unknown flag "--strict"/],
      ['--policy without a file', ['a.yaml', '--policy'], /--policy needs a file name/],
      ['stdin twice', ['-', '--policy', '-'], /standard input \("-"\) can be read only once/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(['lint', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
        assert.equal(code, 2);
        assert.match(err.join('\n'), message);
      });
    }
    it('an unreadable file', async () => {
      const result = await lint(['missing.yaml'], {});
      assert.equal(result.code, 2);
      assert.deepEqual(result.err, ['ramp lint: cannot read missing.yaml: no such file']);
    });
  });

  it('formats non-error lines with their severity', () => {
    const report = lintDocuments([{ file: '-', text: 'a: 1' }]);
    assert.deepEqual(report.lines.map(formatLintLine), ['<stdin>:1: kind: Required value: every document needs apiVersion and kind']);
    assert.equal(formatLintLine({ file: 'f', doc: 2, path: 'spec', severity: 'audit', message: 'm' }), 'f:2: spec: audit: m');
  });
});
