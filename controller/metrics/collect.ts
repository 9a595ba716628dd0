// From a snapshot of the cached Rollouts, AnalysisRuns and Experiments to Prometheus samples
// (Argo's names, reference §14.2). A pure function: the registry calls it at scrape time.
// Labels are bounded: namespace and name (Kubernetes object names), and phase, strategy and
// traffic_router from fixed sets (anything else becomes "").
import type { KubernetesObject } from '@kubernetes/client-node';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricsSnapshot {
  rollouts: readonly KubernetesObject[];
  analysisRuns: readonly KubernetesObject[];
  experiments: readonly KubernetesObject[];
}

export const ROLLOUT_PHASES = ['Healthy', 'Progressing', 'Paused', 'Degraded'] as const;
export const RUN_PHASES = ['Pending', 'Running', 'Successful', 'Failed', 'Error', 'Inconclusive'] as const;

const TRAFFIC_ROUTERS: ReadonlyArray<[string, string]> = [
  ['alb', 'ALB'],
  ['ambassador', 'Ambassador'],
  ['istio', 'Istio'],
  ['nginx', 'Nginx'],
  ['smi', 'SMI'],
  ['appMesh', 'AppMesh'],
];

type Loose = { spec?: Record<string, any>; status?: Record<string, any> };

function bounded(value: unknown, allowed: readonly string[]): string {
  return typeof value === 'string' && allowed.includes(value) ? value : '';
}

function ids(obj: KubernetesObject): { namespace: string; name: string } {
  return { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

export function rolloutStrategy(obj: KubernetesObject): 'blueGreen' | 'canary' | 'none' {
  const strategy = (obj as Loose).spec?.['strategy'];
  if (strategy?.blueGreen) return 'blueGreen';
  if (strategy?.canary) return 'canary';
  return 'none';
}

export function trafficRouter(obj: KubernetesObject): string {
  const routing = (obj as Loose).spec?.['strategy']?.canary?.trafficRouting;
  if (!routing || typeof routing !== 'object') return '';
  for (const [key, label] of TRAFFIC_ROUTERS) if (routing[key]) return label;
  return '';
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Samples of rollout_info, rollout_info_replicas_*, rollout_phase (deprecated), analysis_run_info, analysis_run_phase, experiment_info, experiment_phase. */
export function collectSamples(snapshot: MetricsSnapshot): Sample[] {
  const out: Sample[] = [];
  for (const r of snapshot.rollouts) {
    const id = ids(r);
    const status = (r as Loose).status ?? {};
    const spec = (r as Loose).spec ?? {};
    const phase = bounded(status['phase'], ROLLOUT_PHASES);
    const strategy = rolloutStrategy(r);
    out.push({ name: 'rollout_info', labels: { ...id, strategy, traffic_router: trafficRouter(r), phase }, value: 1 });
    const desired = spec['replicas'] === undefined ? 1 : num(spec['replicas']);
    const available = num(status['availableReplicas']);
    out.push({ name: 'rollout_info_replicas_desired', labels: id, value: desired });
    out.push({ name: 'rollout_info_replicas_available', labels: id, value: available });
    out.push({ name: 'rollout_info_replicas_unavailable', labels: id, value: Math.max(0, num(status['replicas']) - available) });
    out.push({ name: 'rollout_info_replicas_updated', labels: id, value: num(status['updatedReplicas']) });
    for (const p of ROLLOUT_PHASES) out.push({ name: 'rollout_phase', labels: { ...id, strategy, phase: p }, value: p === phase ? 1 : 0 });
  }
  for (const [items, info, deprecated] of [
    [snapshot.analysisRuns, 'analysis_run_info', 'analysis_run_phase'],
    [snapshot.experiments, 'experiment_info', 'experiment_phase'],
  ] as const) {
    for (const obj of items) {
      const id = ids(obj);
      const phase = bounded((obj as Loose).status?.['phase'], RUN_PHASES) || 'Pending';
      out.push({ name: info, labels: { ...id, phase }, value: 1 });
      for (const p of RUN_PHASES) out.push({ name: deprecated, labels: { ...id, phase: p }, value: p === phase ? 1 : 0 });
    }
  }
  return out;
}
