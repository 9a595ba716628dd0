// The validating webhook's decision for an Argo kind or a RolloutPolicy.
import { ARGO_GROUP, type ArgoKind, formatFieldError, type RolloutPolicy } from '../api/index.ts';
import {
  findPolicyConflicts,
  formatConflict,
  formatFinding,
  policyName,
  type RuleFinding,
  validateRolloutPolicy,
} from '../policy/index.ts';
import type { Labels } from '../selectors/index.ts';
import { checkArgoObject, unevaluatedWarning } from './check-object.ts';
import { type AdmissionResponse, type AdmissionStatus, causeOf, type StatusCause } from './response.ts';
import type { AdmissionRequest } from './review.ts';
import { objectName, requestTarget } from './target.ts';

export interface ValidationContext {
  policies: readonly RolloutPolicy[];
  /** Labels of the request's namespace; undefined when unknown. */
  namespaceLabels?: Labels;
}

export function validateArgoRequest(request: AdmissionRequest, kind: ArgoKind, context: ValidationContext): AdmissionResponse {
  const target = requestTarget(request, context.namespaceLabels);
  const check = checkArgoObject(kind, request.object, request.oldObject, context.policies, target);
  const denials = check.findings.filter((f) => f.enforcementAction === 'deny');
  const warnings = [
    ...check.findings.filter((f) => f.enforcementAction === 'warn').map(formatFinding),
    ...check.unevaluated.map((what) => unevaluatedWarning(`"${what}"`, request.namespace)),
  ];
  if (check.fieldErrors.length === 0 && denials.length === 0) return { uid: request.uid, allowed: true, warnings };

  const name = objectName(request);
  const fieldProblems = check.fieldErrors.map(formatFieldError);
  const policyProblems = denials.map(formatFinding);
  const parts: string[] = [];
  if (fieldProblems.length > 0) parts.push(`${kind} "${name}" is invalid: ${fieldProblems.join('; ')}`);
  if (policyProblems.length > 0) parts.push(`${fieldProblems.length > 0 ? 'and it is' : `${kind} "${name}" is`} refused by policy: ${policyProblems.join('; ')}`);
  const causes: StatusCause[] = [
    ...check.fieldErrors.map((e, i) => causeOf(e, fieldProblems[i]!)),
    ...denials.flatMap((f) => policyCauses(f)),
  ];
  const status: AdmissionStatus = {
    code: fieldProblems.length > 0 ? 422 : 403,
    reason: fieldProblems.length > 0 ? 'Invalid' : 'Forbidden',
    message: parts.join('; '),
    details: { name, group: ARGO_GROUP, kind, causes },
  };
  return { uid: request.uid, allowed: false, status, warnings };
}

function policyCauses(finding: RuleFinding): StatusCause[] {
  return finding.failures.map((f) => ({
    reason: 'FieldValueForbidden',
    message: `Forbidden: RolloutPolicy "${finding.policy}" rule "${finding.rule}": ${finding.message}: ${f.detail}`,
    field: f.path === '' ? '<root>' : f.path,
  }));
}

export function validatePolicyRequest(request: AdmissionRequest, context: ValidationContext): AdmissionResponse {
  const errors = validateRolloutPolicy(request.object);
  const name = objectName(request);
  if (errors.length > 0) {
    const problems = errors.map(formatFieldError);
    return {
      uid: request.uid,
      allowed: false,
      status: {
        code: 422,
        reason: 'Invalid',
        message: `RolloutPolicy "${name}" is invalid: ${problems.join('; ')}`,
        details: { name, group: 'ramp.dev', kind: 'RolloutPolicy', causes: errors.map((e, i) => causeOf(e, problems[i]!)) },
      },
    };
  }
  // Admitted; but say so when it would conflict with a policy already in the cluster.
  const incoming = request.object as unknown as RolloutPolicy;
  const others = context.policies.filter((p) => policyName(p) !== name);
  const conflicts = findPolicyConflicts([...others, incoming]).filter((c) => c.candidates.some((x) => x.policy === name));
  return { uid: request.uid, allowed: true, warnings: conflicts.map(formatConflict) };
}
