// The builtin table: every function callable by name (predicate builtins live in the checker and evaluator).

import { ARRAY_BUILTINS } from './arrays.ts';
import { GENERAL_BUILTINS } from './general.ts';
import { NUMBER_BUILTINS } from './numbers.ts';
import type { Builtin } from './spec.ts';
import { STRING_BUILTINS } from './strings.ts';
import { TIME_BUILTINS } from './time.ts';

export { CONDITION_HELPERS, TIME_QUERY_HELPERS } from './argo.ts';
export type { Builtin, CallContext } from './spec.ts';

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(
  [...GENERAL_BUILTINS, ...NUMBER_BUILTINS, ...STRING_BUILTINS, ...ARRAY_BUILTINS, ...TIME_BUILTINS]
    .map((b) => [b.name, b]),
);
