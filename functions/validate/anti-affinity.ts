// spec.strategy.{canary,blueGreen}.antiAffinity: exactly one of preferred/required; weight 1..100.
import { type FieldError, invalidError } from '../api/index.ts';
import { child } from './field-path.ts';
import { checkBetween } from './numbers.ts';
import { isSet, obj } from './read.ts';

const PREFERRED = 'preferredDuringSchedulingIgnoredDuringExecution';
const REQUIRED = 'requiredDuringSchedulingIgnoredDuringExecution';

export function validateAntiAffinity(errors: FieldError[], antiAffinity: unknown, path: string): void {
  const a = obj(antiAffinity);
  if (a === undefined) return;
  const set = [PREFERRED, REQUIRED].filter((k) => isSet(a[k]));
  if (set.length !== 1) {
    errors.push(
      invalidError(
        path,
        a,
        `set exactly one of ${PREFERRED} (with a weight 1-100) or ${REQUIRED} (found ${set.length === 0 ? 'none' : 'both'})`,
      ),
    );
  }
  const preferred = obj(a[PREFERRED]);
  if (preferred !== undefined) checkBetween(errors, preferred['weight'], child(child(path, PREFERRED), 'weight'), 1, 100);
}
