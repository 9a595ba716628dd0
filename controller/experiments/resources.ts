// The API resources the Experiment controller reads and writes, named without discovery.
import type { ResourceRef } from '../kube/resource.ts';
export { AnalysisRuns, Experiments, ReplicaSets, Services } from '../rollouts/resources.ts';

export const AnalysisTemplates: ResourceRef = { group: 'argoproj.io', version: 'v1alpha1', resource: 'analysistemplates', kind: 'AnalysisTemplate', namespaced: true };
export const ClusterAnalysisTemplates: ResourceRef = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  resource: 'clusteranalysistemplates',
  kind: 'ClusterAnalysisTemplate',
  namespaced: false,
};
