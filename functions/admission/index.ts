// Admission: AdmissionReview in → AdmissionReview out, for the validating webhook, the mutating
// webhook and the managed Service/Ingress guard; and ramp lint, the same checks offline.
export { admit, admitManaged, type AdmissionContext, type AdmissionMode, DEFAULTED_KINDS, managedGuardLookup } from './admit.ts';
export { checkArgoObject, defaultArgoObject, type DefaultedObject, type ObjectCheck } from './check-object.ts';
export { exemption, OPERATIONAL_SPEC_FIELDS } from './exemptions.ts';
export { GUARDED_KINDS, guardManagedObject, managedOwnerOf, type OwnerLookup, type OwnerRef } from './managed-guard.ts';
export { encodePatch, jsonPatch, type JsonPatchOperation, mutateArgoRequest } from './mutate.ts';
export {
  type AdmissionAnswer,
  type AdmissionOutcome,
  type AdmissionResponse,
  type AdmissionReviewResponse,
  type AdmissionStatus,
  MAX_WARNINGS,
  type StatusBody,
} from './response.ts';
export { ADMISSION_API_VERSION, type AdmissionRequest, parseAdmissionReview, type ParsedReview, requestNamespace } from './review.ts';
export { validateArgoRequest, validatePolicyRequest } from './validate.ts';
export { formatLintLine, lintDocuments, type LintInput, type LintLine, type LintReport, type LintSeverity } from './lint.ts';
