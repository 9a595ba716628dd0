// A template with `service` gets a ClusterIP Service for its pods while they run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anExperiment } from '../../fixtures/index.ts';
import type { Experiment } from '../../../functions/api/index.ts';
import type { ServiceManifest } from '../../../functions/experiment/index.ts';
import { World } from './world.ts';

function withService(experiment: Experiment, service: { name?: string } = {}): Experiment {
  experiment.spec.templates[0]!.service = service;
  return experiment;
}

function createdService(world: World): ServiceManifest | undefined {
  const action = world.applied.find((a) => a.kind === 'createService');
  return action?.kind === 'createService' ? action.service : undefined;
}

describe('experiment › template Service', () => {
  it('is created once the ReplicaSet exists: named like it, one port per container port, selecting exactly the template\'s pods', () => {
    const world = new World(withService(anExperiment().named('exp').build()));
    world.step();
    const service = createdService(world);
    assert.ok(service, 'a Service was created');
    const hash = world.rs('exp-baseline').labels?.['rollouts-pod-template-hash'];
    assert.deepEqual(service, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'exp-baseline',
        namespace: 'default',
        annotations: { 'experiment.argoproj.io/name': 'exp', 'experiment.argoproj.io/template-name': 'baseline' },
        ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', name: 'exp', uid: 'experiment-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: { selector: { app: 'exp', template: 'baseline', 'rollouts-pod-template-hash': hash }, ports: [{ name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080 }] },
    });
    assert.equal(world.status.templateStatuses?.[0]?.serviceName, 'exp-baseline');
    assert.equal(world.applied.filter((a) => a.kind === 'createService').length, 1);
  });

  it('service.name names it', () => {
    const world = new World(withService(anExperiment().build(), { name: 'preview' }));
    world.step();
    assert.equal(createdService(world)?.metadata.name, 'preview');
    assert.equal(world.status.templateStatuses?.[0]?.serviceName, 'preview');
  });

  it('several ports, from several containers', () => {
    const experiment = withService(anExperiment().build());
    const pod = experiment.spec.templates[0]!.template;
    pod.spec!.containers.push({ name: 'metrics', image: 'm:1', ports: [{ containerPort: 9090 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
    const world = new World(experiment);
    world.step();
    assert.deepEqual(createdService(world)?.spec.ports, [
      { name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080 },
      { port: 9090, targetPort: 9090 },
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
    ]);
  });

  it('pods without container ports get no Service', () => {
    const experiment = withService(anExperiment().build());
    delete experiment.spec.templates[0]!.template.spec!.containers[0]!.ports;
    const world = new World(experiment);
    world.step();
    assert.equal(createdService(world), undefined);
    assert.equal(world.status.phase, 'Running');
  });

  it('is deleted once the experiment ended and the ReplicaSet is down to zero available pods', () => {
    const world = new World(withService(anExperiment().withDuration('10s').withSpec({ scaleDownDelaySeconds: 5 }).build()));
    world.step();
    world.advance(10);
    world.step();
    assert.equal(world.services.length, 1, 'kept during the scale-down delay');
    world.advance(5);
    world.reconcile();
    assert.equal(world.services.length, 1, 'kept while pods are still available');
    world.settle();
    const uid = world.services[0]!.uid;
    const decision = world.reconcile();
    assert.deepEqual(decision.actions, [{ kind: 'deleteService', template: 'baseline', name: 'demo-experiment-baseline', uid }]);
    assert.equal(world.services.length, 0);
    assert.equal(world.status.templateStatuses?.[0]?.serviceName, undefined);
  });

  it('a Service with the name that the experiment does not own → template Error', () => {
    const world = new World(withService(anExperiment().build(), { name: 'taken' }));
    world.services.push({ name: 'taken' });
    world.step();
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Error');
    assert.equal(world.status.templateStatuses?.[0]?.message, 'Service "taken" already exists and is not owned by experiment template "baseline"');
    assert.equal(world.status.phase, 'Error');
    assert.equal(createdService(world), undefined);
  });

  it('a Service of a template that no longer asks for one is deleted', () => {
    const world = new World(withService(anExperiment().withDuration(undefined).build()));
    world.step();
    delete world.experiment.spec.templates[0]!.service;
    world.step();
    assert.equal(world.services.length, 0);
  });
});
