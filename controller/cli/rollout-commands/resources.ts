// The API resources the rollout commands read and write (the controller's, named without
// discovery), and which one a write targets.
import type { ResourceRef } from '../../kube/resource.ts';
import type { WriteTarget } from '../../../functions/cli/index.ts';
import { Deployments, PodTemplates, ReplicaSets, Rollouts } from '../../rollouts/resources.ts';

export { AnalysisRuns, Deployments, Experiments, Pods, PodTemplates, ReplicaSets, Rollouts } from '../../rollouts/resources.ts';

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
