// The policy target of an admission request.
import { isJsonObject } from '../defaults/json.ts';
import type { PolicyTarget } from '../policy/index.ts';
import { type Labels, stringLabels } from '../selectors/index.ts';
import type { AdmissionRequest } from './review.ts';

export function requestTarget(request: AdmissionRequest, namespaceLabels: Labels | undefined): PolicyTarget {
  const metadata = isJsonObject(request.object?.['metadata']) ? request.object['metadata'] : {};
  const name = objectName(request);
  return {
    kind: request.kind.kind,
    ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
    ...(name === '' ? {} : { name }),
    labels: stringLabels(metadata['labels']),
    ...(namespaceLabels === undefined ? {} : { namespaceLabels }),
  };
}

/** The name for messages: the request's, the object's, or its generateName prefix. */
export function objectName(request: AdmissionRequest): string {
  if (request.name !== undefined) return request.name;
  const metadata = isJsonObject(request.object?.['metadata']) ? request.object['metadata'] : {};
  if (typeof metadata['name'] === 'string' && metadata['name'] !== '') return metadata['name'];
  if (typeof metadata['generateName'] === 'string' && metadata['generateName'] !== '') return `${metadata['generateName']}<generated>`;
  return '';
}
