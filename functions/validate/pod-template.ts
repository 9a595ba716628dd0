// Sanity of a pod template (Rollout spec.template, Experiment templates, Job metrics): what would
// otherwise only fail when the ReplicaSet or Job creates its pods.
import {
  type FieldError,
  duplicateError,
  invalidError,
  notSupportedError,
  requiredError,
} from '../api/index.ts';
import { describeSelector, isEmptySelector, labelsOf, selectorMatches } from '../selectors/index.ts';
import { child, index } from './field-path.ts';
import { dns1123LabelProblem, portNameProblem } from './kubernetes-names.ts';
import { validateMetadataMaps } from './labels.ts';
import { hasPlaceholder } from './placeholders.ts';
import { int, list, obj, str } from './read.ts';

export interface PodTemplateRules {
  /** restartPolicy values the owner accepts: Always for ReplicaSets, OnFailure/Never for Jobs. */
  restartPolicies: readonly string[];
  /** When the pod template must be given one explicitly (Jobs: Kubernetes' default Always is refused). */
  restartPolicyRequired?: boolean;
  /** The selector the template's labels must satisfy, and where it is written. */
  selector?: { value: unknown; path: string };
  /**
   * Strings holding `{{args.NAME}}` placeholders are substituted before use (job metrics), so
   * their syntax is not checked.
   */
  placeholders?: boolean;
}

export function validatePodTemplate(errors: FieldError[], template: unknown, path: string, rules: PodTemplateRules): void {
  const t = obj(template);
  if (t === undefined) return;
  const metadataPath = child(path, 'metadata');
  const labelsPath = child(metadataPath, 'labels');
  const templated = (text: string) => rules.placeholders === true && hasPlaceholder(text);
  validateMetadataMaps(errors, t['metadata'], metadataPath, templated);

  if (rules.selector !== undefined && !isEmptySelector(rules.selector.value)) {
    const labels = labelsOf(t['metadata']);
    if (!selectorMatches(rules.selector.value, labels)) {
      errors.push(
        invalidError(
          labelsPath,
          labels,
          `selector does not match template labels: ${rules.selector.path} is "${describeSelector(rules.selector.value)}"; ` +
            'the pod template labels must satisfy it, or the ReplicaSet would never own its pods',
        ),
      );
    }
  }

  const specPath = child(path, 'spec');
  const spec = obj(t['spec']);
  const containers = list(spec?.['containers']);
  if (containers.length === 0) {
    errors.push(requiredError(child(specPath, 'containers'), 'at least one container is required'));
  }
  validateContainers(errors, spec, specPath, templated);

  const restartPolicy = str(spec?.['restartPolicy']);
  if (restartPolicy !== undefined && !templated(restartPolicy) && !rules.restartPolicies.includes(restartPolicy)) {
    errors.push(notSupportedError(child(specPath, 'restartPolicy'), restartPolicy, rules.restartPolicies));
  } else if (restartPolicy === undefined && rules.restartPolicyRequired === true && spec !== undefined) {
    errors.push(
      requiredError(
        child(specPath, 'restartPolicy'),
        `the default Always is not allowed here; set one of ${rules.restartPolicies.map((p) => `"${p}"`).join(', ')}`,
      ),
    );
  }
}

function validateContainers(
  errors: FieldError[],
  spec: Record<string, unknown> | undefined,
  specPath: string,
  templated: (text: string) => boolean,
): void {
  const seenNames = new Map<string, string>();
  const seenPortNames = new Map<string, string>();
  for (const field of ['initContainers', 'containers']) {
    list(spec?.[field]).forEach((container, i) => {
      const c = obj(container);
      if (c === undefined) return;
      const cPath = index(child(specPath, field), i);
      const name = str(c['name']);
      if (name === '') {
        errors.push(requiredError(child(cPath, 'name'), 'every container needs a name'));
      } else if (name !== undefined && !templated(name)) {
        const problem = dns1123LabelProblem(name);
        if (problem !== undefined) errors.push(invalidError(child(cPath, 'name'), name, problem));
        const first = seenNames.get(name);
        if (first !== undefined) {
          errors.push(duplicateError(child(cPath, 'name'), name, `container names must be unique within the pod; ${first} has the same name`));
        } else {
          seenNames.set(name, cPath);
        }
      }
      const image = c['image'];
      if (image === undefined || image === '') {
        errors.push(requiredError(child(cPath, 'image'), 'every container needs an image, e.g. registry.example/app:1.0'));
      } else if (typeof image === 'string' && image.trim() !== image) {
        errors.push(invalidError(child(cPath, 'image'), image, 'must not have leading or trailing whitespace'));
      }
      list(c['ports']).forEach((port, j) => {
        const p = obj(port);
        if (p === undefined) return;
        const pPath = index(child(cPath, 'ports'), j);
        const number = int(p['containerPort']);
        if (number !== undefined && (number < 1 || number > 65535)) {
          errors.push(invalidError(child(pPath, 'containerPort'), number, 'must be between 1 and 65535, inclusive'));
        }
        const portName = str(p['name']);
        if (portName !== undefined && portName !== '' && !templated(portName)) {
          const problem = portNameProblem(portName);
          if (problem !== undefined) errors.push(invalidError(child(pPath, 'name'), portName, problem));
          const first = seenPortNames.get(portName);
          if (first !== undefined) {
            errors.push(duplicateError(child(pPath, 'name'), portName, `port names must be unique within the pod; ${first} has the same name`));
          } else {
            seenPortNames.set(portName, pPath);
          }
        }
      });
    });
  }
}
