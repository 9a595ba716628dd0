// The API resources the Rollout controller reads and writes, named without discovery.
import type { ResourceRef } from '../kube/resource.ts';

export const Rollouts: ResourceRef = { group: 'argoproj.io', version: 'v1alpha1', resource: 'rollouts', kind: 'Rollout', namespaced: true };
export const AnalysisRuns: ResourceRef = { group: 'argoproj.io', version: 'v1alpha1', resource: 'analysisruns', kind: 'AnalysisRun', namespaced: true };
export const Experiments: ResourceRef = { group: 'argoproj.io', version: 'v1alpha1', resource: 'experiments', kind: 'Experiment', namespaced: true };
export const ReplicaSets: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true };
export const Services: ResourceRef = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true };
export const Ingresses: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true };
export const Pods: ResourceRef = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
export const Deployments: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
export const PodTemplates: ResourceRef = { group: '', version: 'v1', resource: 'podtemplates', kind: 'PodTemplate', namespaced: true };
