// Matching labels against a label selector, in the structured metav1.LabelSelector form or the
// API server's string form (`app=web,tier in (a,b),!legacy`).
import type { LabelSelector, LabelSelectorRequirement } from '../api/index.ts';
import type { Labels } from './labels.ts';
import { isEmptySelector, requirementsOf } from './requirements.ts';
import { parseLabelSelector } from './text.ts';

export type LabelMatcher = (labels: Labels | undefined) => boolean;

/** Whether the labels satisfy one requirement; an unknown operator is never satisfied. */
export function requirementMatches(requirement: LabelSelectorRequirement, labels: Labels | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, requirement.key);
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return has && values.includes(labels[requirement.key]!);
    case 'NotIn':
      return !has || !values.includes(labels[requirement.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/**
 * A matcher for `selector`, in either form. Kubernetes semantics: an empty selector (`''` or
 * `{}`) matches everything. A string that is not valid selector syntax throws.
 */
export function compileLabelSelector(selector: string | LabelSelector): LabelMatcher {
  const requirements = typeof selector === 'string' ? parseLabelSelector(selector) : requirementsOf(selector);
  return (labels) => requirements.every((r) => requirementMatches(r, labels));
}

/**
 * Whether the labels satisfy every requirement of a structured selector. An empty selector, or
 * anything that is not an object, matches everything (as for policies and webhooks).
 */
export function selectorMatches(selector: unknown, labels: Labels | undefined): boolean {
  return requirementsOf(selector).every((r) => requirementMatches(r, labels));
}

/**
 * A workload's selector (Rollout, ReplicaSet): an empty or absent selector selects no pod at
 * all, where {@link selectorMatches} would select every one.
 */
export function workloadSelectorMatches(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  return !isEmptySelector(selector) && selectorMatches(selector, labels);
}
