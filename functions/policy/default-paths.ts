// Which parts of a spec a policy default may fill, and how. Paths are relative to `spec`.
import { isJsonObject, type JsonObject } from '../defaults/json.ts';

/** Kinds that take policy defaults, and the key under spec.defaults holding theirs. */
export const DEFAULTS_KEY_BY_KIND: Readonly<Record<string, 'rollout' | 'experiment'>> = {
  Rollout: 'rollout',
  Experiment: 'experiment',
};

/**
 * Set as a whole when the object has none, never merged into: a user's own background analysis
 * must not be extended with a policy's template, and a partial antiAffinity or traffic router
 * would be a different one.
 */
const ATOMIC: Readonly<Record<string, ReadonlySet<string>>> = {
  Rollout: new Set([
    'strategy.canary.analysis',
    'strategy.canary.trafficRouting',
    'strategy.canary.antiAffinity',
    'strategy.canary.pingPong',
    'strategy.canary.canaryMetadata',
    'strategy.canary.stableMetadata',
    'strategy.canary.replicaProgressThreshold',
    'strategy.blueGreen.prePromotionAnalysis',
    'strategy.blueGreen.postPromotionAnalysis',
    'strategy.blueGreen.antiAffinity',
    'strategy.blueGreen.previewMetadata',
    'strategy.blueGreen.activeMetadata',
    'rollbackWindow',
  ]),
  Experiment: new Set(['analysisRunMetadata']),
};

/** Objects a default never creates: a policy cannot choose a Rollout's strategy. */
const NEVER_CREATED = new Set(['strategy', 'strategy.canary', 'strategy.blueGreen']);

/** Fields a policy may not default at all, with the reason given when a policy tries. */
export const FORBIDDEN_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Rollout: {
    selector: 'the selector belongs to the workload and is immutable',
    template: 'the pod template belongs to the workload',
    workloadRef: 'the workload reference belongs to the workload',
    restartAt: 'a restart time is an action, not a default',
    'strategy.canary.steps': 'steps are the rollout plan itself; require them with a rule instead',
  },
  Experiment: {
    templates: 'the templates are the experiment itself',
    terminate: 'terminating is an action, not a default',
  },
};

/**
 * Defaults that only make sense in some configurations (reference §5.1 items 12–13); a policy
 * default is skipped, not forced, where validation would then refuse the object.
 */
const APPLICABLE_WHEN: Readonly<Record<string, (spec: JsonObject) => string | undefined>> = {
  'strategy.canary.scaleDownDelaySeconds': (spec) =>
    !hasTrafficRouting(spec) ? 'only applies with trafficRouting' : canary(spec)?.['dynamicStableScale'] === true ? 'cannot be combined with dynamicStableScale' : undefined,
  'strategy.canary.abortScaleDownDelaySeconds': (spec) => (hasTrafficRouting(spec) ? undefined : 'only applies with trafficRouting'),
  'strategy.canary.minPodsPerReplicaSet': (spec) => (hasTrafficRouting(spec) ? undefined : 'only applies with trafficRouting'),
  'strategy.canary.dynamicStableScale': (spec) =>
    !hasTrafficRouting(spec)
      ? 'only applies with trafficRouting'
      : canary(spec)?.['scaleDownDelaySeconds'] !== undefined
        ? 'cannot be combined with scaleDownDelaySeconds'
        : undefined,
};

function canary(spec: JsonObject): JsonObject | undefined {
  const strategy = spec['strategy'];
  return isJsonObject(strategy) && isJsonObject(strategy['canary']) ? strategy['canary'] : undefined;
}

function hasTrafficRouting(spec: JsonObject): boolean {
  return isJsonObject(canary(spec)?.['trafficRouting']);
}

/** Whether applicability of the path depends on the rest of the spec (decided after the others). */
export function isConditionalDefault(path: string): boolean {
  return Object.hasOwn(APPLICABLE_WHEN, path);
}

export interface DefaultLeaf {
  /** Path relative to spec, dotted: `strategy.canary.analysis`. */
  path: string;
  value: unknown;
}

/** The fields a partial spec sets: scalars, lists and atomic objects, in document order. */
export function defaultLeaves(kind: string, partial: unknown): DefaultLeaf[] {
  const leaves: DefaultLeaf[] = [];
  const atomic = ATOMIC[kind] ?? new Set<string>();
  const walk = (node: JsonObject, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      if (value === undefined || value === null) continue;
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (isJsonObject(value) && !atomic.has(path) && Object.keys(value).length > 0) walk(value, path);
      else leaves.push({ path, value });
    }
  };
  if (isJsonObject(partial)) walk(partial, '');
  return leaves;
}

/** Why a leaf may not be written into `spec` (undefined: it may, if the field is empty). */
export function inapplicableReason(spec: JsonObject, path: string): string | undefined {
  const segments = path.split('.');
  let node: JsonObject = spec;
  for (let i = 0; i < segments.length - 1; i++) {
    const prefix = segments.slice(0, i + 1).join('.');
    const child = node[segments[i]!];
    if (isJsonObject(child)) node = child;
    else if (child === undefined || child === null) {
      if (NEVER_CREATED.has(prefix)) return `the object has no spec.${prefix}`;
      return undefined; // created on write
    } else return `spec.${prefix} is not an object`;
  }
  return APPLICABLE_WHEN[path]?.(spec);
}

/** The current value at a spec-relative path; undefined when absent. */
export function valueAt(spec: JsonObject, path: string): unknown {
  let node: unknown = spec;
  for (const segment of path.split('.')) {
    if (!isJsonObject(node)) return undefined;
    node = node[segment];
  }
  return node === null ? undefined : node;
}

/** Writes a value at a spec-relative path, creating missing parents. */
export function writeAt(spec: JsonObject, path: string, value: unknown): void {
  const segments = path.split('.');
  let node = spec;
  for (const segment of segments.slice(0, -1)) {
    const child = node[segment];
    if (isJsonObject(child)) node = child;
    else {
      const created: JsonObject = {};
      node[segment] = created;
      node = created;
    }
  }
  node[segments[segments.length - 1]!] = structuredClone(value);
}
