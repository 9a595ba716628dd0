// The condition record shared by Rollouts and Experiments.
import Type from 'typebox';
import { ConditionStatusSchema } from './meta.ts';
import { knownString, str, time } from './primitives.ts';

/** A condition whose `type` is one of the given well-known values (not enforced by the schema). */
export function conditionSchema<const Types extends readonly string[]>(types: Types) {
  return Type.Object(
    {
      type: knownString(types),
      status: ConditionStatusSchema,
      lastUpdateTime: time('Last time the condition was updated.'),
      lastTransitionTime: time('Last time the status changed.'),
      reason: str('CamelCase reason of the last transition.'),
      message: str('Human-readable details.'),
    },
    { description: 'An observation about the object.' },
  );
}
