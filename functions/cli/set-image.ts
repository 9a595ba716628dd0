// `ramp set image NAME CONTAINER=IMAGE...` (reference §13): change container images in the pod
// template of the Rollout, or of the Deployment its workloadRef names.
import type { Rollout } from '../api/index.ts';
import { rolloutName } from './rollout-facts.ts';
import { ActionRefused, type ActionPlan, type WriteTarget } from './rollout-write.ts';

export interface ImageAssignment {
  /** A container name, or `*` for every container. */
  container: string;
  image: string;
}

/** The container lists Argo's plugin looks in, in its order. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** Parses `CONTAINER=IMAGE` arguments; throws a TypeError naming the bad one. */
export function parseImageAssignments(args: readonly string[]): ImageAssignment[] {
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    const container = eq < 0 ? '' : arg.slice(0, eq);
    const image = eq < 0 ? '' : arg.slice(eq + 1);
    if (container === '' || image === '' || /\s/.test(image)) {
      throw new TypeError(`invalid image assignment ${JSON.stringify(arg)}: want CONTAINER=IMAGE, e.g. app=registry.example/app:1.2 (CONTAINER may be * for all)`);
    }
    return { container, image };
  });
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Whether a Rollout takes its pod template from another workload. */
export function usesWorkloadRef(rollout: Rollout): boolean {
  return rollout.spec.workloadRef !== undefined;
}

/**
 * Returns a copy of `object` (a Rollout or Deployment as read, resourceVersion included) with
 * the images changed, and what changed. Every assignment must match at least one container.
 */
export function withImages(object: Json, assignments: readonly ImageAssignment[], describe: string): { object: Json; changed: string[] } {
  const copy = structuredClone(object);
  const podSpec = asObject(asObject(asObject(copy['spec'])?.['template'])?.['spec']);
  const names: string[] = [];
  const matched = new Set<ImageAssignment>();
  const changed: string[] = [];
  for (const list of CONTAINER_LISTS) {
    const containers = podSpec?.[list];
    if (!Array.isArray(containers)) continue;
    for (const entry of containers) {
      const container = asObject(entry);
      if (!container) continue;
      const name = typeof container['name'] === 'string' ? container['name'] : '';
      names.push(list === 'containers' ? name : `${name} (${list})`);
      for (const a of assignments) {
        if (a.container !== name && a.container !== '*') continue;
        matched.add(a);
        if (container['image'] !== a.image) {
          changed.push(`${name}: ${typeof container['image'] === 'string' ? container['image'] : '(none)'} → ${a.image}`);
          container['image'] = a.image;
        }
      }
    }
  }
  const missing = assignments.filter((a) => !matched.has(a));
  if (missing.length > 0) {
    const have = names.length > 0 ? names.join(', ') : 'none';
    throw new ActionRefused(
      `${describe} has no container named ${missing.map((a) => JSON.stringify(a.container)).join(', ')} (containers: ${have})`,
    );
  }
  return { object: copy, changed };
}

/**
 * The update for `set image`. Without workloadRef the Rollout (as read) is written back with the
 * new images. With workloadRef Argo's plugin changes the referenced Deployment instead; pass it
 * as `workload` (other workload kinds are refused, as Argo's plugin only handles Deployments).
 */
export function setImage(rollout: Rollout, assignments: readonly ImageAssignment[], workload?: Json): ActionPlan {
  const name = rolloutName(rollout);
  if (assignments.length === 0) throw new ActionRefused('set image: no CONTAINER=IMAGE given');
  let target: WriteTarget;
  let object: Json;
  let describe: string;
  const ref = rollout.spec.workloadRef;
  if (ref !== undefined) {
    if (ref.kind !== 'Deployment') {
      throw new ActionRefused(`rollout '${name}' takes its pod template from ${ref.kind ?? 'a workload'} '${ref.name ?? ''}': set image only changes a referenced Deployment; edit that ${ref.kind ?? 'object'} instead`);
    }
    if (workload === undefined) throw new TypeError(`setImage: rollout '${name}' references Deployment '${ref.name ?? ''}'; pass it as workload`);
    target = { kind: 'Deployment', name: ref.name ?? '' };
    object = workload;
    describe = `deployment '${ref.name ?? ''}' (workloadRef of rollout '${name}')`;
  } else {
    target = { kind: 'Rollout', name };
    object = rollout as unknown as Json;
    describe = `rollout '${name}'`;
  }
  const { object: updated, changed } = withImages(object, assignments, describe);
  const kind = target.kind.toLowerCase();
  if (changed.length === 0) return { writes: [], message: `${kind} '${target.name}' already runs ${assignments.map((a) => a.image).join(', ')}; nothing to change` };
  return { writes: [{ type: 'update', target, object: updated }], message: `${kind} '${target.name}' image updated (${changed.join('; ')})` };
}
