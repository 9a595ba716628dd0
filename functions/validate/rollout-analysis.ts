// How a Rollout asks for an analysis (canary steps, background analysis, blue-green pre/post
// promotion, experiment-step analyses): template references and the arguments it passes.
import {
  type FieldError,
  duplicateError,
  forbiddenError,
  invalidError,
  notSupportedError,
  requiredError,
} from '../api/index.ts';
import { child, index } from './field-path.ts';
import { validateMetadataMaps } from './labels.ts';
import { validateMetricNamePatterns } from './metric-name-patterns.ts';
import { checkNonNegative } from './numbers.ts';
import { isSet, list, obj, str } from './read.ts';

const POD_TEMPLATE_HASH_VALUES = ['Stable', 'Latest'] as const;

/** The metadata fields Kubernetes' downward API can read from an object. */
const DOWNWARD_API_METADATA = /^metadata\.(name|namespace|uid|labels|annotations)$|^metadata\.(labels|annotations)\['[^']*'\]$/;
const DOWNWARD_API_EXPECTED =
  "metadata.name, metadata.namespace, metadata.uid, metadata.labels, metadata.annotations, metadata.labels['KEY'] or metadata.annotations['KEY']";

/** spec.strategy.canary.steps[i].analysis, canary.analysis, blueGreen.pre/postPromotionAnalysis. */
export function validateRolloutAnalysis(errors: FieldError[], analysis: unknown, path: string, background = false): void {
  const a = obj(analysis);
  if (a === undefined) return;
  validateTemplateRefs(errors, a['templates'], child(path, 'templates'));
  validateRolloutArgs(errors, a['args'], child(path, 'args'));
  validateMetricNamePatterns(errors, a['dryRun'], child(path, 'dryRun'), 'dryRun');
  validateMetricNamePatterns(errors, a['measurementRetention'], child(path, 'measurementRetention'), 'measurementRetention');
  validateMetadataMaps(errors, a['analysisRunMetadata'], child(path, 'analysisRunMetadata'));
  if (background) checkNonNegative(errors, a['startingStep'], child(path, 'startingStep'));
}

function validateTemplateRefs(errors: FieldError[], templates: unknown, path: string): void {
  const refs = list(templates);
  if (refs.length === 0) {
    errors.push(requiredError(path, 'name at least one AnalysisTemplate (templateName) or ClusterAnalysisTemplate (templateName, clusterScope: true)'));
    return;
  }
  const seen = new Map<string, string>();
  refs.forEach((ref, i) => {
    const r = obj(ref);
    if (r === undefined) return;
    const namePath = child(index(path, i), 'templateName');
    const name = str(r['templateName']);
    if (name === undefined || name === '') {
      errors.push(requiredError(namePath, 'the name of the AnalysisTemplate (or, with clusterScope: true, ClusterAnalysisTemplate) to run'));
      return;
    }
    const kind = r['clusterScope'] === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
    const id = `${kind}/${name}`;
    const first = seen.get(id);
    if (first !== undefined) {
      errors.push(duplicateError(namePath, name, `${kind} "${name}" is already listed at ${first}`));
    } else {
      seen.set(id, index(path, i));
    }
  });
}

/** Arguments passed by a Rollout: a literal, a pod template hash or a field of the Rollout. */
export function validateRolloutArgs(errors: FieldError[], args: unknown, path: string): void {
  checkArgNames(errors, args, path);
  list(args).forEach((arg, i) => {
    const a = obj(arg);
    if (a === undefined) return;
    const argPath = index(path, i);
    if (isSet(a['value']) && isSet(a['valueFrom'])) {
      errors.push(forbiddenError(child(argPath, 'valueFrom'), 'set either value or valueFrom, not both'));
    }
    const from = obj(a['valueFrom']);
    if (from === undefined) return;
    const fromPath = child(argPath, 'valueFrom');
    const sources = ['podTemplateHashValue', 'fieldRef'].filter((s) => isSet(from[s]));
    if (sources.length !== 1) {
      errors.push(
        invalidError(fromPath, from, `set exactly one of podTemplateHashValue or fieldRef (found ${sources.length === 0 ? 'none' : sources.join(', ')})`),
      );
    }
    const hash = str(from['podTemplateHashValue']);
    if (hash !== undefined && !(POD_TEMPLATE_HASH_VALUES as readonly string[]).includes(hash)) {
      errors.push(notSupportedError(child(fromPath, 'podTemplateHashValue'), hash, POD_TEMPLATE_HASH_VALUES));
    }
    checkFieldRef(errors, from['fieldRef'], child(fromPath, 'fieldRef'));
  });
}

/** `fieldRef.fieldPath`: metadata paths must be ones the downward API can read. */
export function checkFieldRef(errors: FieldError[], fieldRef: unknown, path: string): void {
  const f = obj(fieldRef);
  if (f === undefined) return;
  const fieldPath = str(f['fieldPath']);
  const fieldPathPath = child(path, 'fieldPath');
  if (fieldPath === '') {
    errors.push(requiredError(fieldPathPath, "a path into the Rollout, e.g. metadata.labels['app'] or spec.template.spec.containers[0].image"));
  } else if (fieldPath !== undefined && fieldPath.startsWith('metadata') && !DOWNWARD_API_METADATA.test(fieldPath)) {
    errors.push(invalidError(fieldPathPath, fieldPath, `analysis arguments can read only these metadata fields: ${DOWNWARD_API_EXPECTED}`));
  }
}

/** Every argument has a name, and no name appears twice. */
export function checkArgNames(errors: FieldError[], args: unknown, path: string): void {
  const seen = new Map<string, string>();
  list(args).forEach((arg, i) => {
    const a = obj(arg);
    if (a === undefined) return;
    const namePath = child(index(path, i), 'name');
    const name = str(a['name']);
    if (name === '') {
      errors.push(requiredError(namePath, 'the argument name the template refers to as {{args.NAME}}'));
      return;
    }
    if (name === undefined) return;
    const first = seen.get(name);
    if (first !== undefined) {
      errors.push(duplicateError(namePath, name, `argument "${name}" is already given at ${first}`));
    } else {
      seen.set(name, index(path, i));
    }
  });
}
