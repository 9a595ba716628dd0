// The API resources the rollout commands read and write, named without discovery.
import type { ResourceRef } from '../../kube/resource.ts';
import type { WriteTarget } from '../../../functions/cli/index.ts';

export const Rollouts: ResourceRef = { group: 'argoproj.io', version: 'v1alpha1', resource: 'rollouts', kind: 'Rollout', namespaced: true };
export const AnalysisRuns: ResourceRef = { group: 'argoproj.io', version: 'v1alpha1', resource: 'analysisruns', kind: 'AnalysisRun', namespaced: true };
export const Experiments: ResourceRef = { group: 'argoproj.io', version: 'v1alpha1', resource: 'experiments', kind: 'Experiment', namespaced: true };
export const ReplicaSets: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true };
export const Deployments: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
export const Pods: ResourceRef = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
export const PodTemplates: ResourceRef = { group: '', version: 'v1', resource: 'podtemplates', kind: 'PodTemplate', namespaced: true };

export function resourceOf(kind: WriteTarget['kind']): ResourceRef {
  switch (kind) {
    case 'Rollout':
      return Rollouts;
    case 'Deployment':
      return Deployments;
    case 'ReplicaSet':
      return ReplicaSets;
    case 'PodTemplate':
      return PodTemplates;
  }
}
