// `ramp get rollout NAME`: the summary and the tree Argo's `kubectl argo rollouts get rollout`
// prints — rollout → revisions (newest first) → ReplicaSets (stable/canary/active/preview) →
// pods, and the AnalysisRuns of each revision with their Jobs. Pure: objects and `now` in,
// lines out.
import {
  REVISION_ANNOTATION,
  SCALE_DOWN_DEADLINE_READ_KEYS,
  POD_TEMPLATE_HASH_LABEL,
  type AnalysisRun,
  type Rollout,
} from '../api/index.ts';
import { ageOf, humanDuration } from './human-duration.ts';
import { analysisIcon, colourise, Icon, KindIcon, podIcon, replicaSetIcon, rolloutIcon, Tag } from './icons.ts';
import { isOwnedBy, revisionOf, type ObjectMetaView, type PodView, type ReplicaSetView } from './objects.ts';
import { podSummary } from './pod-status.ts';
import { canarySteps, currentCanaryStep, maxTrafficWeight } from './rollout-facts.ts';
import { rolloutHealth } from './rollout-health.ts';
import { alignColumns } from './text-table.ts';

export interface RenderOptions {
  /** The time ages are measured against. */
  now: Date;
  /** ANSI colours (icons, tags), as on a terminal. Default false. */
  colour?: boolean;
  /** Print the AGE column and scale-down delays (default true). Off: a text that only changes when objects do. */
  ages?: boolean;
}

type TagName = (typeof Tag)[keyof typeof Tag];

export interface PodInfo {
  name: string;
  status: string;
  ready: string;
  restarts: number;
  created: string | undefined;
}

export interface ReplicaSetInfo {
  name: string;
  revision: number;
  status: string;
  replicas: number;
  available: number;
  images: string[];
  /** stable, canary, active, preview, ping, pong — in Argo's order. */
  tags: TagName[];
  scaleDownDeadline: string | undefined;
  created: string | undefined;
  pods: PodInfo[];
}

export interface AnalysisRunInfo {
  name: string;
  revision: number;
  phase: string;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  created: string | undefined;
  jobs: Array<{ name: string; phase: string; started: string | undefined }>;
}

/** Argo's ReplicaSet health: Progressing until observed and available, ScaledDown at 0, else Healthy. */
export function replicaSetHealth(rs: ReplicaSetView): string {
  const generation = rs.metadata?.generation ?? 0;
  const observed = rs.status?.observedGeneration ?? 0;
  if (generation > observed) return 'Progressing';
  const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (failure?.status === 'True') return 'ReplicaFailure';
  const desired = rs.spec?.replicas;
  if (desired !== undefined && (rs.status?.availableReplicas ?? 0) < desired) return 'Progressing';
  if (desired === 0) return 'ScaledDown';
  return 'Healthy';
}

function byCreationThenName(a: { created: string | undefined; name: string }, b: { created: string | undefined; name: string }): number {
  const ta = a.created ? Date.parse(a.created) : 0;
  const tb = b.created ? Date.parse(b.created) : 0;
  return ta - tb || a.name.localeCompare(b.name);
}

function ownerOf(rollout: Rollout): { kind: string; metadata: { uid?: string; name?: string } } {
  return { kind: 'Rollout', metadata: { ...(rollout.metadata?.uid ? { uid: rollout.metadata.uid } : {}), ...(rollout.metadata?.name ? { name: rollout.metadata.name } : {}) } };
}

function tagsOf(rollout: Rollout, hash: string | undefined): TagName[] {
  const status = rollout.status ?? {};
  const tags: TagName[] = [];
  if (hash === undefined) return tags;
  const canary = rollout.spec.strategy?.canary;
  if (canary) {
    const pingPong = canary.pingPong !== undefined;
    const stablePing = status.canary?.stablePingPong === 'ping';
    if (status.stableRS === hash) {
      tags.push(Tag.stable);
      if (pingPong) tags.push(stablePing ? Tag.ping : Tag.pong);
    } else if (status.currentPodHash === hash) {
      tags.push(Tag.canary);
      if (pingPong) tags.push(stablePing ? Tag.pong : Tag.ping);
    }
  }
  if (rollout.spec.strategy?.blueGreen) {
    if (status.stableRS === hash) tags.push(Tag.stable);
    if (status.blueGreen?.activeSelector === hash) tags.push(Tag.active);
    else if (status.blueGreen?.previewSelector === hash) tags.push(Tag.preview);
  }
  const order: TagName[] = [Tag.stable, Tag.canary, Tag.active, Tag.preview, Tag.ping, Tag.pong];
  return order.filter((t) => tags.includes(t));
}

function scaleDownDeadlineOf(metadata: ObjectMetaView | undefined): string | undefined {
  for (const key of SCALE_DOWN_DEADLINE_READ_KEYS) {
    const value = metadata?.annotations?.[key];
    if (value) return value;
  }
  return undefined;
}

/** The rollout's ReplicaSets with their pods, newest revision first. */
export function replicaSetInfos(rollout: Rollout, replicaSets: readonly ReplicaSetView[], pods: readonly PodView[]): ReplicaSetInfo[] {
  const owner = ownerOf(rollout);
  const infos: Array<ReplicaSetInfo & { rs: ReplicaSetView }> = [];
  for (const rs of replicaSets) {
    if (!isOwnedBy(rs, owner)) continue;
    const hash = rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
    infos.push({
      rs,
      name: rs.metadata?.name ?? '',
      revision: revisionOf(rs.metadata, REVISION_ANNOTATION) ?? 0,
      status: replicaSetHealth(rs),
      replicas: rs.status?.replicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
      images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
      tags: tagsOf(rollout, hash),
      scaleDownDeadline: scaleDownDeadlineOf(rs.metadata),
      created: rs.metadata?.creationTimestamp,
      pods: [],
    });
  }
  infos.sort((a, b) => b.revision - a.revision || a.name.localeCompare(b.name));
  for (const pod of pods) {
    const info = infos.find((i) => isOwnedBy(pod, { kind: 'ReplicaSet', metadata: { ...(i.rs.metadata?.uid ? { uid: i.rs.metadata.uid } : {}), name: i.name } }));
    if (!info) continue;
    const summary = podSummary(pod);
    info.pods.push({ name: pod.metadata?.name ?? '', ...summary, created: pod.metadata?.creationTimestamp });
  }
  for (const info of infos) info.pods.sort(byCreationThenName);
  return infos.map(({ rs: _rs, ...info }) => info);
}

/** The rollout's AnalysisRuns with their measurement counts and Jobs, newest revision first. */
export function analysisRunInfos(rollout: Rollout, runs: readonly AnalysisRun[]): AnalysisRunInfo[] {
  const owner = ownerOf(rollout);
  const infos: AnalysisRunInfo[] = [];
  for (const run of runs) {
    if (!isOwnedBy(run as { metadata?: ObjectMetaView }, owner)) continue;
    const info: AnalysisRunInfo = {
      name: run.metadata?.name ?? '',
      revision: revisionOf(run.metadata as ObjectMetaView | undefined, REVISION_ANNOTATION) ?? 0,
      phase: run.status?.phase ?? '',
      successful: 0,
      failed: 0,
      inconclusive: 0,
      error: 0,
      created: run.metadata?.creationTimestamp,
      jobs: [],
    };
    for (const result of run.status?.metricResults ?? []) {
      info.successful += result.successful ?? 0;
      info.failed += result.failed ?? 0;
      info.inconclusive += result.inconclusive ?? 0;
      info.error += result.error ?? 0;
      for (const m of result.measurements ?? []) {
        const job = m.metadata?.['job-name'];
        if (job) info.jobs.push({ name: job, phase: m.phase, started: m.startedAt });
      }
    }
    infos.push(info);
  }
  return infos.sort((a, b) => b.revision - a.revision || byCreationThenName(a, b));
}

/** Argo's GetCurrentSetWeight: 0 when aborted, the last setWeight at or before the current step, max when past the steps. */
export function currentSetWeight(rollout: Rollout): number {
  if (rollout.status?.abort === true) return 0;
  const current = currentCanaryStep(rollout);
  if (current?.step === undefined) return maxTrafficWeight(rollout);
  const steps = canarySteps(rollout);
  for (let i = current.index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/** The weight the canary really has: from pod counts (basic canary) or the router's last weights. */
export function actualWeight(rollout: Rollout, replicaSets: readonly ReplicaSetInfo[]): number {
  const current = currentCanaryStep(rollout);
  if (current?.step === undefined) return maxTrafficWeight(rollout);
  const available = rollout.status?.availableReplicas ?? 0;
  if (available <= 0) return 0;
  if (rollout.spec.strategy?.canary?.trafficRouting === undefined) {
    let weight = 0;
    for (const rs of replicaSets) if (rs.tags.includes(Tag.canary)) weight = Math.floor((rs.available * maxTrafficWeight(rollout)) / available);
    return weight;
  }
  return rollout.status?.canary?.weights?.canary.weight ?? currentSetWeight(rollout);
}

/** Images of ReplicaSets that have pods, with the tags of those ReplicaSets, sorted by image. */
export function imagesWithTags(replicaSets: readonly ReplicaSetInfo[]): Array<{ image: string; tags: string[] }> {
  const byImage = new Map<string, Set<string>>();
  for (const rs of replicaSets) {
    if (rs.replicas <= 0) continue;
    for (const image of rs.images) {
      const tags = byImage.get(image) ?? new Set<string>();
      for (const t of rs.tags) tags.add(t);
      byImage.set(image, tags);
    }
  }
  return [...byImage.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([image, tags]) => ({ image, tags: [...tags].sort() }));
}

function field(label: string, value: string | number): string {
  return `${label.padEnd(17)}${value}`.trimEnd();
}

function prefixes(isLast: boolean, sub: string): [string, string] {
  return isLast ? [`${sub}└──`, `${sub}   `] : [`${sub}├──`, `${sub}│  `];
}

/** The lines of `ramp get rollout`. */
export function renderRolloutTree(
  rollout: Rollout,
  replicaSets: readonly ReplicaSetView[],
  pods: readonly PodView[],
  analysisRuns: readonly AnalysisRun[] = [],
  options: RenderOptions,
): string[] {
  const colour = options.colour === true;
  const showAges = options.ages !== false;
  const c = (text: string, key: string): string => colourise(text, key, colour);
  const age = (ts: string | undefined): string => (showAges ? ageOf(ts, options.now) : '');
  const health = rolloutHealth(rollout);
  const rsInfos = replicaSetInfos(rollout, replicaSets, pods);
  const arInfos = analysisRunInfos(rollout, analysisRuns);
  const status = rollout.status ?? {};
  const icon = rolloutIcon(health.status);

  const lines: string[] = [];
  lines.push(field('Name:', rollout.metadata?.name ?? ''));
  lines.push(field('Namespace:', rollout.metadata?.namespace ?? ''));
  lines.push(field('Status:', `${c(icon, icon)} ${health.status}`));
  if (health.message) lines.push(field('Message:', health.message));
  if (rollout.spec.strategy?.canary) {
    const steps = canarySteps(rollout).length;
    lines.push(field('Strategy:', 'Canary'));
    lines.push(field('  Step:', status.currentStepIndex !== undefined && steps > 0 ? `${status.currentStepIndex}/${steps}` : '-'));
    lines.push(field('  SetWeight:', currentSetWeight(rollout)));
    lines.push(field('  ActualWeight:', actualWeight(rollout, rsInfos)));
  } else if (rollout.spec.strategy?.blueGreen) {
    lines.push(field('Strategy:', 'BlueGreen'));
  } else {
    lines.push(field('Strategy:', '-'));
  }
  const images = imagesWithTags(rsInfos);
  images.forEach((img, i) => {
    const text = img.tags.length > 0 ? `${img.image} (${img.tags.map((t) => c(t, t)).join(', ')})` : img.image;
    lines.push(field(i === 0 ? 'Images:' : '', text));
  });
  lines.push('Replicas:');
  lines.push(field('  Desired:', rollout.spec.replicas ?? 1));
  lines.push(field('  Current:', status.replicas ?? 0));
  lines.push(field('  Updated:', status.updatedReplicas ?? 0));
  lines.push(field('  Ready:', status.readyReplicas ?? 0));
  lines.push(field('  Available:', status.availableReplicas ?? 0));
  lines.push('');

  const rows: string[][] = [['NAME', 'KIND', 'STATUS', 'AGE', 'INFO']];
  rows.push([`${KindIcon.rollout} ${rollout.metadata?.name ?? ''}`, 'Rollout', `${c(icon, icon)} ${health.status}`, age(rollout.metadata?.creationTimestamp), '']);
  const revisions = [...new Set([...rsInfos.map((r) => r.revision), ...arInfos.map((a) => a.revision)])].sort((a, b) => b - a);
  revisions.forEach((revision, ri) => {
    const [prefix, sub] = prefixes(ri === revisions.length - 1, '');
    rows.push([`${prefix}${KindIcon.revision} revision:${revision}`, '', ' ', '', '']);
    const sets = rsInfos.filter((r) => r.revision === revision);
    const runs = arInfos.filter((a) => a.revision === revision);
    const total = sets.length + runs.length;
    let n = 0;
    for (const rs of sets) {
      const [rsPrefix, rsSub] = prefixes(n++ === total - 1, sub);
      const rsIcon = replicaSetIcon(rs.status);
      const mainTag = rs.tags.find((t) => t !== Tag.stable && t !== Tag.ping && t !== Tag.pong) ?? rs.tags[0];
      const info: string[] = rs.tags.map((t) => c(t, t));
      if (rs.scaleDownDeadline && showAges) {
        const at = Date.parse(rs.scaleDownDeadline);
        if (!Number.isNaN(at)) info.push(`delay:${at < options.now.getTime() ? 'passed' : humanDuration(at - options.now.getTime())}`);
      }
      rows.push([`${rsPrefix}${KindIcon.replicaSet} ${mainTag ? c(rs.name, mainTag) : rs.name}`, 'ReplicaSet', `${c(rsIcon, rsIcon)} ${rs.status}`, age(rs.created), info.join(',')]);
      rs.pods.forEach((pod, pi) => {
        const [podPrefix] = prefixes(pi === rs.pods.length - 1, rsSub);
        const pIcon = podIcon(pod.status);
        const podInfo = [`ready:${pod.ready}`, ...(pod.restarts > 0 ? [`restarts:${pod.restarts}`] : [])];
        rows.push([`${podPrefix}${KindIcon.pod} ${pod.name}`, 'Pod', `${c(pIcon, pIcon)} ${pod.status}`, age(pod.created), podInfo.join(',')]);
      });
    }
    for (const run of runs) {
      const [arPrefix, arSub] = prefixes(n++ === total - 1, sub);
      const aIcon = analysisIcon(run.phase);
      const counts: string[] = [];
      if (run.successful > 0) counts.push(`${c(Icon.ok, Icon.ok)} ${run.successful}`);
      if (run.failed > 0) counts.push(`${c(Icon.bad, Icon.bad)} ${run.failed}`);
      if (run.inconclusive > 0) counts.push(`${c(Icon.unknown, Icon.unknown)} ${run.inconclusive}`);
      if (run.error > 0) counts.push(`${c(Icon.warning, Icon.warning)} ${run.error}`);
      rows.push([`${arPrefix}${KindIcon.analysisRun} ${c(run.name, run.phase)}`, 'AnalysisRun', `${c(aIcon, aIcon)} ${run.phase}`, age(run.created), counts.join(',')]);
      run.jobs.forEach((job, ji) => {
        const [jobPrefix] = prefixes(ji === run.jobs.length - 1, arSub);
        const jIcon = analysisIcon(job.phase);
        rows.push([`${jobPrefix}${KindIcon.job} ${c(job.name, job.phase)}`, 'Job', `${c(jIcon, jIcon)} ${job.phase}`, age(job.started), '']);
      });
    }
  });
  lines.push(...alignColumns(rows));
  return lines;
}
