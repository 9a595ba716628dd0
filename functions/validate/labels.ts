// Label and annotation maps: keys must be qualified names, label values short and plain.
import { type FieldError, invalidError } from '../api/index.ts';
import { child, key } from './field-path.ts';
import { labelKeyProblem, labelValueProblem } from './kubernetes-names.ts';
import { obj, stringEntries } from './read.ts';

/**
 * Checks `metadata.labels` and the keys of `metadata.annotations` of a metadata-like object at
 * `path` (pod template metadata, ephemeral canary/stable metadata, analysisRunMetadata).
 * `skip` leaves out entries that are filled in later (placeholders).
 */
export function validateMetadataMaps(errors: FieldError[], metadata: unknown, path: string, skip: (text: string) => boolean = () => false): void {
  const m = obj(metadata);
  if (m === undefined) return;
  const labelsPath = child(path, 'labels');
  for (const [k, v] of stringEntries(m['labels'])) {
    if (skip(k) || skip(v)) continue;
    const keyProblem = labelKeyProblem(k);
    if (keyProblem !== undefined) errors.push(invalidError(labelsPath, k, `invalid label key: ${keyProblem}`));
    const valueProblem = labelValueProblem(v);
    if (valueProblem !== undefined) errors.push(invalidError(key(labelsPath, k), v, `invalid label value: ${valueProblem}`));
  }
  const annotationsPath = child(path, 'annotations');
  for (const [k] of stringEntries(m['annotations'])) {
    if (skip(k)) continue;
    const keyProblem = labelKeyProblem(k);
    if (keyProblem !== undefined) errors.push(invalidError(annotationsPath, k, `invalid annotation key: ${keyProblem}`));
  }
}
