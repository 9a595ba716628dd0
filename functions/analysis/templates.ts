// AnalysisRuns from AnalysisTemplates and ClusterAnalysisTemplates (reference §11.1, §11.6, §11.8):
// nested template references flattened, several templates merged into one run.
import type {
  AnalysisRun,
  AnalysisTemplateRef,
  AnalysisTemplateSpec,
  Argument,
  DryRun,
  MeasurementRetention,
  Metric,
  ObjectMeta,
} from '../api/index.ts';
import { ARGO_API_VERSION } from '../api/index.ts';
import { mergeArgs } from './args.ts';

/** A template as the flattening needs it: namespaced or cluster-scoped, with its spec. */
export interface TemplateLike {
  metadata?: { name?: string };
  spec: AnalysisTemplateSpec;
}

/** Finds a template by reference; undefined when it does not exist. */
export interface TemplateLookup {
  template(name: string): TemplateLike | undefined;
  clusterTemplate(name: string): TemplateLike | undefined;
}

const MAX_TEMPLATE_DEPTH = 10;

/**
 * The templates `refs` name, and the ones they reference in turn (`spec.templates`), each once,
 * in first-reference order. Throws for a missing template or a reference cycle deeper than 10.
 */
export function resolveTemplateRefs(refs: readonly AnalysisTemplateRef[], lookup: TemplateLookup): TemplateLike[] {
  const out: TemplateLike[] = [];
  const seen = new Set<string>();
  const visit = (list: readonly AnalysisTemplateRef[], depth: number): void => {
    if (depth > MAX_TEMPLATE_DEPTH) throw new Error(`analysis templates nested more than ${MAX_TEMPLATE_DEPTH} deep (a reference cycle?)`);
    for (const ref of list) {
      const name = ref.templateName ?? '';
      if (name === '') throw new Error('an analysis template reference has no templateName');
      const key = `${ref.clusterScope ? 'cluster' : 'namespace'}/${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const template = ref.clusterScope ? lookup.clusterTemplate(name) : lookup.template(name);
      if (!template) {
        throw new Error(ref.clusterScope ? `ClusterAnalysisTemplate '${name}' not found` : `AnalysisTemplate '${name}' not found`);
      }
      out.push(template);
      if (template.spec.templates?.length) visit(template.spec.templates, depth + 1);
    }
  };
  visit(refs, 0);
  return out;
}

export interface FlatTemplate {
  metrics: Metric[];
  args: Argument[];
  dryRun: DryRun[];
  measurementRetention: MeasurementRetention[];
}

/**
 * Several templates as one: metrics concatenated (two with one name → `two metrics have the same
 * name 'x'`), args merged by name (the same arg with two different values is an error; a value
 * wins over none), dryRun and measurementRetention rules concatenated without duplicates.
 */
export function flattenTemplates(templates: readonly TemplateLike[]): FlatTemplate {
  const metrics: Metric[] = [];
  const args: Argument[] = [];
  const dryRun: DryRun[] = [];
  const retention: MeasurementRetention[] = [];
  for (const template of templates) {
    for (const metric of template.spec.metrics ?? []) {
      if (metrics.some((m) => m.name === metric.name)) throw new Error(`two metrics have the same name '${metric.name}'`);
      metrics.push(structuredClone(metric));
    }
    for (const arg of template.spec.args ?? []) {
      const previous = args.find((a) => a.name === arg.name);
      if (!previous) {
        args.push(structuredClone(arg));
        continue;
      }
      if (previous.value !== undefined && arg.value !== undefined && previous.value !== arg.value) {
        throw new Error(`Argument \`${arg.name}\` specified multiple times with different values: '${previous.value}', '${arg.value}'`);
      }
      if (previous.value === undefined && previous.valueFrom === undefined) {
        if (arg.value !== undefined) previous.value = arg.value;
        else if (arg.valueFrom !== undefined) previous.valueFrom = structuredClone(arg.valueFrom);
      }
    }
    for (const rule of template.spec.dryRun ?? []) {
      if (dryRun.some((r) => r.metricName === rule.metricName)) throw new Error(`two Dry-Run metric rules have the same name '${rule.metricName}'`);
      dryRun.push({ ...rule });
    }
    for (const rule of template.spec.measurementRetention ?? []) {
      if (retention.some((r) => r.metricName === rule.metricName)) {
        throw new Error(`two Measurement Retention metric rules have the same name '${rule.metricName}'`);
      }
      retention.push({ ...rule });
    }
  }
  return { metrics, args, dryRun, measurementRetention: retention };
}

export interface NewAnalysisRunInput {
  templates: readonly TemplateLike[];
  /** Args the Rollout or Experiment passes (already resolved to values or secretKeyRefs). */
  args?: readonly Argument[];
  /** Extra rules from the caller (e.g. the Rollout's analysis.dryRun), added to the templates' own. */
  dryRun?: readonly DryRun[];
  measurementRetention?: readonly MeasurementRetention[];
  name?: string;
  generateName?: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: ObjectMeta['ownerReferences'];
}

/** The AnalysisRun object to create (no status). Throws with Argo's messages on a merge problem. */
export function newAnalysisRun(input: NewAnalysisRunInput): AnalysisRun {
  const flat = flattenTemplates(input.templates);
  const args = mergeArgs(input.args ?? [], flat.args);
  const dryRun = [...flat.dryRun];
  for (const rule of input.dryRun ?? []) if (!dryRun.some((r) => r.metricName === rule.metricName)) dryRun.push({ ...rule });
  const retention = [...flat.measurementRetention];
  for (const rule of input.measurementRetention ?? []) {
    if (!retention.some((r) => r.metricName === rule.metricName)) retention.push({ ...rule });
  }
  const metadata: ObjectMeta = { namespace: input.namespace };
  if (input.name) metadata.name = input.name;
  if (input.generateName) metadata.generateName = input.generateName;
  if (input.labels && Object.keys(input.labels).length > 0) metadata.labels = { ...input.labels };
  if (input.annotations && Object.keys(input.annotations).length > 0) metadata.annotations = { ...input.annotations };
  if (input.ownerReferences?.length) metadata.ownerReferences = structuredClone(input.ownerReferences);
  return {
    apiVersion: ARGO_API_VERSION,
    kind: 'AnalysisRun',
    metadata,
    spec: {
      metrics: flat.metrics,
      ...(args.length > 0 ? { args } : {}),
      ...(dryRun.length > 0 ? { dryRun } : {}),
      ...(retention.length > 0 ? { measurementRetention: retention } : {}),
    },
  };
}
