// A table runner for validation rules: each rule has an object that breaks it and one that keeps
// it. The rejecting object must produce an error of the given type at exactly the given path
// (and no error elsewhere unless listed in `alsoAt`); its message must contain the key words.
// The accepting object must produce no error at all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ArgoKind, type FieldError, type FieldErrorType, formatFieldError } from '../../../functions/api/index.ts';
import { validateObject } from '../../../functions/validate/index.ts';

export interface RuleCase {
  rule: string;
  reject: unknown;
  accept: unknown;
  path: string;
  type: FieldErrorType;
  /** Substrings (or patterns) the formatted message must contain. */
  words: Array<string | RegExp>;
  /** Other paths the rejecting object is expected to report as well. */
  alsoAt?: string[];
  /** For update rules: the object before the update, for both reject and accept. */
  old?: unknown;
}

export const messages = (errors: FieldError[]): string[] => errors.map(formatFieldError);

export function ruleTable(kind: ArgoKind, title: string, cases: RuleCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(`${c.rule} › rejected at ${c.path}`, () => {
        const errors = validateObject(kind, c.reject, c.old);
        const hit = errors.find((e) => e.path === c.path && e.type === c.type);
        assert.ok(hit, `expected a ${c.type} error at ${c.path}, got:\n${messages(errors).join('\n')}`);
        const text = formatFieldError(hit);
        for (const word of c.words) {
          if (typeof word === 'string') assert.ok(text.includes(word), `"${text}" should contain "${word}"`);
          else assert.match(text, word);
        }
        const expectedPaths = new Set([c.path, ...(c.alsoAt ?? [])]);
        const stray = errors.filter((e) => !expectedPaths.has(e.path));
        assert.deepEqual(messages(stray), [], 'no errors at other paths');
      });
      it(`${c.rule} › accepted when kept`, () => {
        assert.deepEqual(messages(validateObject(kind, c.accept, c.old)), []);
      });
    }
  });
}

/** A deep copy loosened so tests can set any field. */
export function loose<T>(value: T): any {
  return structuredClone(value) as any;
}

/** Applies `edit` to a deep copy of `value`. */
export function edited<T>(value: T, edit: (copy: any) => void): any {
  const copy = loose(value);
  edit(copy);
  return copy;
}
