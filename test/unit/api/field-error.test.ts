import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  duplicateError,
  type FieldError,
  forbiddenError,
  formatFieldError,
  invalidError,
  notSupportedError,
  requiredError,
} from '../../../functions/api/index.ts';

describe('formatFieldError › Kubernetes wording', () => {
  const cases: Array<[string, FieldError, string]> = [
    [
      'invalid number',
      invalidError('spec.strategy.canary.steps[2].setWeight', 120, 'must be between 0 and 100'),
      'spec.strategy.canary.steps[2].setWeight: Invalid value: 120: must be between 0 and 100',
    ],
    [
      'invalid string is quoted',
      invalidError('spec.strategy.canary.steps[2].setWeight', 'x', 'must be an integer'),
      'spec.strategy.canary.steps[2].setWeight: Invalid value: "x": must be an integer',
    ],
    ['invalid boolean', invalidError('spec.paused', true, 'nope'), 'spec.paused: Invalid value: true: nope'],
    ['invalid null', invalidError('spec.replicas', null, 'must be set'), 'spec.replicas: Invalid value: null: must be set'],
    [
      'invalid object as JSON',
      invalidError('spec.selector', { matchLabels: {} }, 'empty selector is invalid for deployment'),
      'spec.selector: Invalid value: {"matchLabels":{}}: empty selector is invalid for deployment',
    ],
    [
      'required with detail',
      requiredError('spec.strategy.strategy', "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'"),
      "spec.strategy.strategy: Required value: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'",
    ],
    ['required without detail', requiredError('spec.selector'), 'spec.selector: Required value'],
    [
      'forbidden never shows a value',
      { path: 'spec.template', type: 'Forbidden', value: 'ignored', detail: 'must be empty with workloadRef' },
      'spec.template: Forbidden: must be empty with workloadRef',
    ],
    ['forbidden helper', forbiddenError('spec.x', 'unknown field'), 'spec.x: Forbidden: unknown field'],
    [
      'duplicate',
      duplicateError('spec.metrics[1].name', 'error-rate'),
      'spec.metrics[1].name: Duplicate value: "error-rate"',
    ],
    [
      'not supported lists the accepted values',
      notSupportedError('spec.strategy.canary.replicaProgressThreshold.type', 'Percentage', ['Percent', 'Pods']),
      'spec.strategy.canary.replicaProgressThreshold.type: Unsupported value: "Percentage": supported values: "Percent", "Pods"',
    ],
    ['invalid without value', { path: 'spec.x', type: 'Invalid', detail: 'bad' }, 'spec.x: Invalid value: bad'],
  ];

  for (const [name, error, expected] of cases) {
    it(name, () => assert.equal(formatFieldError(error), expected));
  }
});
