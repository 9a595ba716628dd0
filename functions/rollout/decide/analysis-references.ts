// The analyses a Rollout names, and whether each can be turned into an AnalysisRun with the
// templates the snapshot holds (reference §5.2). A missing AnalysisTemplate or
// ClusterAnalysisTemplate, templates that cannot be merged (two metrics with one name, one arg
// with two values), an arg nobody gives a value, or a step / pre / post-promotion metric that
// would never finish makes the Rollout InvalidSpec — before anything is scaled, as Argo does —
// and the decision looks again in 20 s, so the Rollout recovers by itself once the template is
// there.
import {
  invalidError,
  type AnalysisTemplateRef,
  type FieldError,
  type Rollout,
  type RolloutAnalysis,
  type RolloutAnalysisArgument,
} from '../../api/index.ts';
import { newAnalysisRun, resolveRolloutArgs, resolveTemplateRefs, type TemplateLike, type TemplateLookup } from '../../analysis/index.ts';
import type { RolloutSnapshot } from './types.ts';

/** One place in the spec that asks for an AnalysisRun. */
export interface AnalysisReference {
  /** Field path of the analysis, e.g. `spec.strategy.canary.steps[2].analysis`. */
  path: string;
  templates: readonly AnalysisTemplateRef[];
  args: readonly RolloutAnalysisArgument[];
  /** Background analysis and experiment analyses may run until terminated; the others must end. */
  mayRunIndefinitely: boolean;
}

/** Every analysis the strategy names: background, steps, experiment steps' analyses, blue-green pre/post. */
export function analysisReferences(rollout: Rollout): AnalysisReference[] {
  const out: AnalysisReference[] = [];
  const add = (path: string, analysis: RolloutAnalysis | undefined, mayRunIndefinitely: boolean): void => {
    if (analysis === undefined) return;
    out.push({ path, templates: analysis.templates ?? [], args: analysis.args ?? [], mayRunIndefinitely });
  };
  const { canary, blueGreen } = rollout.spec.strategy ?? {};
  if (canary !== undefined) {
    add('spec.strategy.canary.analysis', canary.analysis, true);
    (canary.steps ?? []).forEach((step, i) => {
      add(`spec.strategy.canary.steps[${i}].analysis`, step.analysis, false);
      (step.experiment?.analyses ?? []).forEach((analysis, j) => {
        out.push({
          path: `spec.strategy.canary.steps[${i}].experiment.analyses[${j}]`,
          templates: [{ templateName: analysis.templateName, ...(analysis.clusterScope ? { clusterScope: true } : {}) }],
          args: analysis.args ?? [],
          mayRunIndefinitely: true,
        });
      });
    });
  } else if (blueGreen !== undefined) {
    add('spec.strategy.blueGreen.prePromotionAnalysis', blueGreen.prePromotionAnalysis, false);
    add('spec.strategy.blueGreen.postPromotionAnalysis', blueGreen.postPromotionAnalysis, false);
  }
  return out;
}

/** Templates by name from the snapshot (namespaced ones of the Rollout's namespace only). */
export function templateLookup(snapshot: Pick<RolloutSnapshot, 'rollout' | 'analysisTemplates' | 'clusterAnalysisTemplates'>): TemplateLookup {
  const namespace = snapshot.rollout.metadata?.namespace;
  const inNamespace = (ns: string | undefined): boolean => ns === undefined || namespace === undefined || ns === namespace;
  return {
    template: (name) => snapshot.analysisTemplates?.find((t) => t.metadata?.name === name && inNamespace(t.metadata?.namespace)),
    clusterTemplate: (name) => snapshot.clusterAnalysisTemplates?.find((t) => t.metadata?.name === name),
  };
}

function kindName(ref: AnalysisTemplateRef): string {
  return ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A metric with an interval but no count is measured until terminated. */
function indefiniteMetric(templates: readonly TemplateLike[]): { template: string; metric: string } | undefined {
  for (const template of templates) {
    for (const metric of template.spec.metrics ?? []) {
      if (metric.interval !== undefined && metric.interval !== '' && metric.count === undefined) {
        return { template: template.metadata?.name ?? '', metric: metric.name };
      }
    }
  }
  return undefined;
}

/** The first problem of one analysis reference, if any. */
function referenceProblem(reference: AnalysisReference, lookup: TemplateLookup, rollout: Rollout): FieldError | undefined {
  for (const [k, ref] of reference.templates.entries()) {
    const name = ref.templateName ?? '';
    const found = ref.clusterScope ? lookup.clusterTemplate(name) : lookup.template(name);
    if (found === undefined) return invalidError(`${reference.path}.templates[${k}].templateName`, name, `${kindName(ref)} '${name}' not found`);
  }
  if (reference.templates.length === 0) return invalidError(`${reference.path}.templates`, [], 'at least one analysis template is required');
  let templates: TemplateLike[];
  try {
    templates = resolveTemplateRefs(reference.templates, lookup);
  } catch (error) {
    return invalidError(`${reference.path}.templates`, reference.templates.map((t) => t.templateName), message(error));
  }
  let args;
  try {
    // The pod template hashes are not needed to know whether the run can be built.
    args = resolveRolloutArgs(reference.args, { rollout, stablePodTemplateHash: 'stable', latestPodTemplateHash: 'latest' });
  } catch (error) {
    return invalidError(`${reference.path}.args`, reference.args.map((a) => a.name), message(error));
  }
  try {
    newAnalysisRun({ templates, args, namespace: rollout.metadata?.namespace ?? '' });
  } catch (error) {
    return invalidError(reference.path, reference.templates.map((t) => t.templateName), message(error));
  }
  if (!reference.mayRunIndefinitely) {
    const endless = indefiniteMetric(templates);
    if (endless !== undefined) {
      return invalidError(
        `${reference.path}.templates`,
        reference.templates.map((t) => t.templateName),
        `AnalysisTemplate ${endless.template} has metric ${endless.metric} which runs indefinitely. Invalid value for count: <nil>`,
      );
    }
  }
  return undefined;
}

/** Every analysis reference that cannot become an AnalysisRun, first problem of each. */
export function analysisReferenceProblems(snapshot: RolloutSnapshot): FieldError[] {
  const lookup = templateLookup(snapshot);
  const problems: FieldError[] = [];
  for (const reference of analysisReferences(snapshot.rollout)) {
    const problem = referenceProblem(reference, lookup, snapshot.rollout);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}
