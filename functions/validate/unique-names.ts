// Names that must be set and unique within a list (templates, analyses, …).
import { type FieldError, duplicateError, requiredError } from '../api/index.ts';

/** A required, unique name within a list; `what` names the list's items in messages. */
export function checkUniqueName(
  errors: FieldError[],
  name: unknown,
  namePath: string,
  seen: Map<string, string>,
  itemPath: string,
  what: string,
): void {
  if (name === '') {
    errors.push(requiredError(namePath, `every ${what} needs a name`));
    return;
  }
  if (typeof name !== 'string') return;
  const first = seen.get(name);
  if (first !== undefined) errors.push(duplicateError(namePath, name, `${what} names must be unique; ${first} has the same name`));
  else seen.set(name, itemPath);
}

