// Builders for AdmissionReview bodies and readers for the answers.
import fastJsonPatch from 'fast-json-patch';
import type { AdmissionAnswer, AdmissionReviewResponse, StatusBody } from '../../../functions/admission/index.ts';

export const ROLLOUT_GVK = { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout' };

export interface ReviewOptions {
  kind?: { group: string; version: string; kind: string };
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  object?: unknown;
  oldObject?: unknown;
  namespace?: string;
  name?: string;
  subResource?: string;
  dryRun?: boolean;
  uid?: string;
}

export function aReview(options: ReviewOptions): Record<string, any> {
  const object = options.object as { metadata?: { name?: string; namespace?: string } } | undefined;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: options.uid ?? '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: options.kind ?? ROLLOUT_GVK,
      resource: { group: 'argoproj.io', version: 'v1alpha1', resource: 'rollouts' },
      operation: options.operation ?? 'CREATE',
      namespace: options.namespace ?? object?.metadata?.namespace ?? 'shop',
      name: options.name ?? object?.metadata?.name ?? 'demo',
      ...(options.subResource === undefined ? {} : { subResource: options.subResource }),
      ...(options.object === undefined ? {} : { object: options.object }),
      ...(options.oldObject === undefined ? {} : { oldObject: options.oldObject }),
      userInfo: { username: 'alice' },
      dryRun: options.dryRun ?? false,
    },
  };
}

export function responseOf(answer: AdmissionAnswer): AdmissionReviewResponse['response'] {
  if (answer.httpStatus !== 200) throw new Error(`expected 200, got ${answer.httpStatus}: ${JSON.stringify(answer.body)}`);
  return (answer.body as AdmissionReviewResponse).response;
}

export function statusOf(answer: AdmissionAnswer): StatusBody {
  return answer.body as StatusBody;
}

export function patchOf(answer: AdmissionAnswer): fastJsonPatch.Operation[] {
  const patch = responseOf(answer).patch;
  return patch === undefined ? [] : (JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as fastJsonPatch.Operation[]);
}

/** The object as the API server would store it after applying the response's patch. */
export function patched<T>(object: T, answer: AdmissionAnswer): T {
  return fastJsonPatch.applyPatch(structuredClone(object), patchOf(answer), true, false).newDocument;
}
