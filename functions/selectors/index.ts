// metav1.LabelSelector, pure: the labels it sees, matching, emptiness and equality, validation,
// and the text forms.
export { type Labels, labelsOf, stringLabels } from './labels.ts';
export { isEmptySelector, requirementsOf, sameSelector } from './requirements.ts';
export { compileLabelSelector, type LabelMatcher, requirementMatches, selectorMatches, workloadSelectorMatches } from './match.ts';
export { andLabelSelectors, describeSelector, formatLabelSelector, formatSelector, parseLabelSelector } from './text.ts';
export { labelSelectorProblems, validateLabelSelector } from './problems.ts';
