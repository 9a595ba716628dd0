import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  crdYaml,
  type CustomResourceDefinition,
  findStructuralViolations,
  generateCrds,
  type OpenApiSchema,
} from '../../../functions/api/index.ts';

const crds = generateCrds();

function crdNamed(name: string): CustomResourceDefinition {
  const crd = crds.find((c) => c.metadata.name === name);
  assert.ok(crd, `no CRD ${name}`);
  return crd;
}

function schemaOf(name: string): OpenApiSchema {
  return crdNamed(name).spec.versions[0]!.schema.openAPIV3Schema;
}

/** Walks to a node by dotted path; `[]` steps into array items. */
function nodeAt(schema: OpenApiSchema, path: string): OpenApiSchema {
  let node: OpenApiSchema | undefined = schema;
  for (const part of path.split('.')) {
    const isList = part.endsWith('[]');
    node = node?.properties?.[isList ? part.slice(0, -2) : part];
    if (isList) node = node?.items;
  }
  assert.ok(node, `no schema node at ${path}`);
  return node;
}

/** Paths of every node matching `predicate`, excluding the pod template internals. */
function pathsWhere(schema: OpenApiSchema, predicate: (node: OpenApiSchema) => boolean, prefix = ''): string[] {
  const found: string[] = [];
  if (predicate(schema) && prefix !== '') found.push(prefix);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    found.push(...pathsWhere(child, predicate, prefix === '' ? name : `${prefix}.${name}`));
  }
  if (schema.items) found.push(...pathsWhere(schema.items, predicate, `${prefix}[]`));
  if (typeof schema.additionalProperties === 'object') found.push(...pathsWhere(schema.additionalProperties, predicate, `${prefix}{}`));
  return found;
}

const isIntOrString = (node: OpenApiSchema) => node['x-kubernetes-int-or-string'] === true;

describe('generated CRDs › structural schema', () => {
  for (const crd of crds) {
    it(`${crd.metadata.name} has no structural violations`, () => {
      assert.deepEqual(findStructuralViolations(crd.spec.versions[0]!.schema.openAPIV3Schema), []);
    });
  }

  it('root metadata is a bare object (the API server owns it)', () => {
    for (const crd of crds) assert.deepEqual(crd.spec.versions[0]!.schema.openAPIV3Schema.properties?.['metadata'], { type: 'object' });
  });

  it('the YAML round-trips to the same object (no anchors, no lost values)', () => {
    for (const crd of crds) assert.deepEqual(parse(crdYaml(crd)), JSON.parse(JSON.stringify(crd)));
  });
});

describe('structural violation checker', () => {
  it('reports untyped fields, properties with additionalProperties, junctors and forbidden keywords', () => {
    const broken: OpenApiSchema = {
      type: 'object',
      properties: {
        metadata: { type: 'object', properties: { name: { type: 'string' } } },
        spec: {
          type: 'object',
          properties: { a: { description: 'no type' } },
          additionalProperties: { type: 'string' },
        },
        union: { anyOf: [{ type: 'string' }, { type: 'boolean' }], type: 'string' },
        pattern: { type: 'object', patternProperties: { '.*': { type: 'string' } } },
        list: { type: 'array' },
        intOrString: { 'x-kubernetes-int-or-string': true, type: 'string' },
      },
      required: ['missing'],
    };
    assert.deepEqual(findStructuralViolations(broken).sort(), [
      '<root>: requires undeclared property missing',
      'intOrString: an int-or-string node must not set type',
      'list: is an array without items',
      'metadata: the root metadata schema may only be {type: object}',
      'pattern: uses forbidden keyword patternProperties',
      'spec.a: has no type',
      'spec: has both properties and additionalProperties',
      "union: uses anyOf, which Ramp's schemas do not need",
    ]);
  });

  it('accepts int-or-string and preserve-unknown nodes without a type', () => {
    const schema: OpenApiSchema = {
      type: 'object',
      properties: {
        a: { 'x-kubernetes-int-or-string': true },
        b: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        c: { 'x-kubernetes-preserve-unknown-fields': true },
      },
    };
    assert.deepEqual(findStructuralViolations(schema), []);
  });
});

describe('generated CRDs › names, scope, subresources and columns as in Argo', () => {
  it('short names and scopes', () => {
    const summary = crds.map((c) => [c.spec.names.kind, c.spec.names.shortNames.join(','), c.spec.scope, c.spec.group]);
    assert.deepEqual(summary, [
      ['Rollout', 'ro', 'Namespaced', 'argoproj.io'],
      ['AnalysisTemplate', 'at', 'Namespaced', 'argoproj.io'],
      ['ClusterAnalysisTemplate', 'cat', 'Cluster', 'argoproj.io'],
      ['AnalysisRun', 'ar', 'Namespaced', 'argoproj.io'],
      ['Experiment', 'exp', 'Namespaced', 'argoproj.io'],
    ]);
    for (const crd of crds) {
      assert.equal(crd.spec.versions.length, 1);
      assert.equal(crd.spec.versions[0]!.name, 'v1alpha1');
    }
  });

  it('Rollout has the status and scale subresources wired to HPAReplicas and selector', () => {
    assert.deepEqual(crdNamed('rollouts.argoproj.io').spec.versions[0]!.subresources, {
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.HPAReplicas', labelSelectorPath: '.status.selector' },
      status: {},
    });
  });

  it('the other kinds have no subresources (Argo writes their status on the main resource)', () => {
    for (const name of ['analysistemplates', 'clusteranalysistemplates', 'analysisruns', 'experiments']) {
      assert.deepEqual(crdNamed(`${name}.argoproj.io`).spec.versions[0]!.subresources, {}, name);
    }
  });

  it('printer columns', () => {
    const columns = (name: string) => crdNamed(name).spec.versions[0]!.additionalPrinterColumns.map((c) => `${c.name}=${c.jsonPath}:${c.type}`);
    assert.deepEqual(columns('rollouts.argoproj.io'), [
      'Desired=.spec.replicas:integer',
      'Current=.status.replicas:integer',
      'Up-to-date=.status.updatedReplicas:integer',
      'Available=.status.availableReplicas:integer',
      'Age=.metadata.creationTimestamp:date',
    ]);
    assert.deepEqual(columns('analysisruns.argoproj.io'), ['Status=.status.phase:string', 'Age=.metadata.creationTimestamp:date']);
    assert.deepEqual(columns('experiments.argoproj.io'), ['Status=.status.phase:string', 'Age=.metadata.creationTimestamp:date']);
    assert.deepEqual(columns('analysistemplates.argoproj.io'), ['Age=.metadata.creationTimestamp:date']);
    assert.deepEqual(columns('clusteranalysistemplates.argoproj.io'), ['Age=.metadata.creationTimestamp:date']);
  });
});

describe('generated CRDs › wire types', () => {
  it('Rollout int-or-string fields are exactly Argo\'s', () => {
    const spec = nodeAt(schemaOf('rollouts.argoproj.io'), 'spec');
    const outsidePodTemplate = pathsWhere(spec, isIntOrString).filter((p) => !p.startsWith('template.'));
    assert.deepEqual(outsidePodTemplate.sort(), [
      'strategy.blueGreen.maxUnavailable',
      'strategy.canary.maxSurge',
      'strategy.canary.maxUnavailable',
      'strategy.canary.steps[].pause.duration',
    ]);
  });

  it('metric limits, count and CloudWatch periods are int-or-string', () => {
    const metric = nodeAt(schemaOf('analysistemplates.argoproj.io'), 'spec.metrics[]');
    assert.deepEqual(pathsWhere(metric, isIntOrString).filter((p) => !p.includes('.job.')).sort(), [
      'consecutiveErrorLimit',
      'consecutiveSuccessLimit',
      'count',
      'failureLimit',
      'inconclusiveLimit',
      'provider.cloudWatch.metricDataQueries[].metricStat.period',
      'provider.cloudWatch.metricDataQueries[].period',
    ]);
  });

  it('Rollout status keeps Argo\'s spelling and types', () => {
    const status = schemaOf('rollouts.argoproj.io');
    assert.equal(nodeAt(status, 'status.observedGeneration').type, 'string');
    assert.equal(nodeAt(status, 'status.workloadObservedGeneration').type, 'string');
    assert.equal(nodeAt(status, 'status.HPAReplicas').type, 'integer');
    assert.equal(nodeAt(status, 'status.selector').type, 'string');
    assert.equal(nodeAt(status, 'status.currentStepIndex').format, 'int32');
    assert.deepEqual(nodeAt(status, 'status.pauseConditions[]').required, ['reason', 'startTime']);
    assert.equal(nodeAt(status, 'status.pauseConditions[].startTime').format, 'date-time');
    assert.deepEqual(nodeAt(status, 'status.conditions[]').required, [
      'lastTransitionTime',
      'lastUpdateTime',
      'message',
      'reason',
      'status',
      'type',
    ]);
    assert.equal(nodeAt(status, 'status.canary.weights.canary.weight').type, 'integer');
    assert.equal(nodeAt(status, 'status.blueGreen.activeSelector').type, 'string');
  });

  it('the selector is immutable through a CEL rule and replaced atomically', () => {
    const selector = nodeAt(schemaOf('rollouts.argoproj.io'), 'spec.selector');
    assert.deepEqual(selector['x-kubernetes-validations'], [{ rule: 'self == oldSelf', message: '.spec.selector is immutable' }]);
    assert.equal(selector['x-kubernetes-map-type'], 'atomic');
  });

  it('the pod template declares containers and keeps undeclared pod and container fields', () => {
    const template = nodeAt(schemaOf('rollouts.argoproj.io'), 'spec.template');
    assert.deepEqual(Object.keys(nodeAt(template, 'metadata').properties ?? {}), ['annotations', 'labels']);
    const podSpec = nodeAt(template, 'spec');
    assert.equal(podSpec['x-kubernetes-preserve-unknown-fields'], true);
    assert.deepEqual(podSpec.required, ['containers']);
    const container = nodeAt(template, 'spec.containers[]');
    assert.equal(container['x-kubernetes-preserve-unknown-fields'], true);
    assert.deepEqual(container.required, ['name']);
    assert.equal(nodeAt(template, 'spec.containers[].image').type, 'string');
    assert.equal(nodeAt(template, 'spec.containers[].ports[].containerPort').format, 'int32');
    const limits = nodeAt(template, 'spec.containers[].resources.limits');
    assert.deepEqual(limits.additionalProperties, { 'x-kubernetes-int-or-string': true });
  });

  it('free-form parts preserve unknown fields', () => {
    const rollout = schemaOf('rollouts.argoproj.io');
    const run = schemaOf('analysisruns.argoproj.io');
    for (const node of [
      nodeAt(rollout, 'spec.strategy.canary.trafficRouting.plugins'),
      nodeAt(rollout, 'spec.strategy.canary.steps[].plugin.config'),
      nodeAt(rollout, 'status.canary.stepPluginStatuses[].status'),
      nodeAt(run, 'spec.metrics[].provider.plugin'),
      nodeAt(run, 'spec.metrics[].provider.web.jsonBody'),
    ]) {
      assert.deepEqual(node['x-kubernetes-preserve-unknown-fields'], true);
      assert.equal(node.type, 'object');
    }
  });
});
