// Arguments an Experiment passes to its analyses (reference §11.8, §12.3). Values may refer to
// the Experiment's own objects:
//
//   {{templates.NAME.podTemplateHash}}   the template's pod-template hash
//   {{templates.NAME.replicaset.name}}   the template's ReplicaSet name
//   {{experiment.availableAt}}           when every template became available (RFC 3339)
//   {{experiment.finishedAt}}            availableAt + spec.duration (needs a duration)
//
// `valueFrom.fieldRef` is read from the Experiment (e.g. `metadata.labels['team']`);
// `valueFrom.secretKeyRef` is passed on for the AnalysisRun controller to read.
import type { Argument, Experiment } from '../api/index.ts';
import { readFieldPath } from '../analysis/rollout-args.ts';
import { Duration } from '../values/duration.ts';
import { metaTime, parseMetaTime } from '../values/meta-time.ts';

export interface ExperimentArgContext {
  /** Per template name: its pod-template hash and ReplicaSet name. */
  templates: ReadonlyMap<string, { podTemplateHash: string; replicaSetName: string }>;
  /** status.availableAt, once set. */
  availableAt?: string;
}

const TAG = /\{\{([^{}]*)\}\}/g;

function placeholderValue(tag: string, experiment: Experiment, ctx: ExperimentArgContext): string {
  const template = /^templates\.(.+)\.(podTemplateHash|replicaset\.name)$/.exec(tag);
  if (template !== null) {
    const found = ctx.templates.get(template[1]!);
    if (found === undefined) throw new Error(`failed to resolve {{${tag}}}: the experiment has no template "${template[1]}"`);
    return template[2] === 'podTemplateHash' ? found.podTemplateHash : found.replicaSetName;
  }
  if (tag === 'experiment.availableAt' || tag === 'experiment.finishedAt') {
    const availableAt = parseMetaTime(ctx.availableAt);
    if (availableAt === undefined) throw new Error(`failed to resolve {{${tag}}}: the experiment is not available yet`);
    if (tag === 'experiment.availableAt') return metaTime(availableAt);
    const duration = experiment.spec.duration;
    if (duration === undefined || duration === '') throw new Error(`failed to resolve {{${tag}}}: the experiment has no spec.duration`);
    return metaTime(availableAt + Duration.parseDurationString(duration).toMilliseconds());
  }
  throw new Error(`failed to resolve {{${tag}}}`);
}

/** The value with every experiment placeholder replaced; throws for one that cannot be. */
export function substituteExperimentPlaceholders(value: string, experiment: Experiment, ctx: ExperimentArgContext): string {
  return value.replace(TAG, (_whole, inner: string) => placeholderValue(inner.trim(), experiment, ctx));
}

/** The args as the AnalysisRun gets them. Throws with a message naming the argument. */
export function resolveExperimentArgs(args: readonly Argument[] | undefined, experiment: Experiment, ctx: ExperimentArgContext): Argument[] {
  return (args ?? []).map((arg): Argument => {
    if (arg.value !== undefined) {
      try {
        return { name: arg.name, value: substituteExperimentPlaceholders(arg.value, experiment, ctx) };
      } catch (error) {
        throw new Error(`argument "${arg.name}": ${(error as Error).message}`);
      }
    }
    const fieldRef = arg.valueFrom?.fieldRef;
    if (fieldRef !== undefined) {
      const value = readFieldPath(experiment, fieldRef.fieldPath);
      if (value === undefined || value === null) {
        throw new Error(`argument "${arg.name}": fieldRef ${fieldRef.fieldPath} is not set on the Experiment`);
      }
      return { name: arg.name, value: typeof value === 'string' ? value : JSON.stringify(value) };
    }
    return structuredClone(arg);
  });
}
