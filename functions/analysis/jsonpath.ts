// A safe subset of Kubernetes JSONPath for the web provider's `jsonPath` (reference §11.7):
// `{$}`, `{$.data.ok}`, `{.items[0].value}`, `{$.a['b-c']}`, `{$.items[*].v}`, `{$..value}`,
// `{$.items[-1]}`, `{$.items[?(@.name == "x")].value}`. No scripts, no functions: a path is
// parsed into steps and walked over plain JSON data; nothing is ever evaluated as code.

export type JsonPathStep =
  | { kind: 'child'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'descendants'; name: string | undefined }
  | { kind: 'filter'; path: string[]; op: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'exists'; value?: string | number | boolean | null };

export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

const MAX_PATH_LENGTH = 1000;
const MAX_RESULTS = 10_000;

function parseLiteral(text: string): string | number | boolean | null {
  const t = text.trim();
  if (/^'.*'$/s.test(t)) return t.slice(1, -1);
  if (/^".*"$/s.test(t)) return JSON.parse(t) as string;
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return Number(t);
  throw new JsonPathError(`unsupported filter value ${t}`);
}

/** Parses `{$.a.b}` (braces and `$` optional) into steps; throws JsonPathError with the reason. */
export function parseJsonPath(source: string): JsonPathStep[] {
  if (source.length > MAX_PATH_LENGTH) throw new JsonPathError(`jsonPath longer than ${MAX_PATH_LENGTH} characters`);
  let text = source.trim();
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw new JsonPathError(`unclosed action in ${source}`);
    text = text.slice(1, -1).trim();
  }
  if (text.startsWith('$')) text = text.slice(1);
  const steps: JsonPathStep[] = [];
  let i = 0;
  const ident = (): string => {
    const m = /^[A-Za-z0-9_\-/:]+|^\*/.exec(text.slice(i));
    if (!m) throw new JsonPathError(`expected a field name at column ${i + 1} of ${source}`);
    i += m[0].length;
    return m[0];
  };
  while (i < text.length) {
    if (text.startsWith('..', i)) {
      i += 2;
      if (text[i] === '[') {
        steps.push({ kind: 'descendants', name: undefined });
        continue;
      }
      const name = ident();
      steps.push({ kind: 'descendants', name: name === '*' ? undefined : name });
      continue;
    }
    if (text[i] === '.') {
      i++;
      if (i >= text.length) break; // `{.}` is the whole document
      const name = ident();
      steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'child', name });
      continue;
    }
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) throw new JsonPathError(`unclosed [ at column ${i + 1} of ${source}`);
      let inner = text.slice(i + 1, close).trim();
      if (inner.startsWith('?(')) {
        // A filter may contain ']' inside a quoted value: find the closing ')]'.
        const end = text.indexOf(')]', i);
        if (end < 0) throw new JsonPathError(`unclosed filter at column ${i + 1} of ${source}`);
        inner = text.slice(i + 1, end + 1).trim();
        steps.push(parseFilter(inner.slice(2, -1), source));
        i = end + 2;
        continue;
      }
      i = close + 1;
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) steps.push({ kind: 'child', name: inner.slice(1, -1) });
      else throw new JsonPathError(`unsupported subscript [${inner}] in ${source} (supported: [n], [-n], [*], ['name'], [?(@.field op value)])`);
      continue;
    }
    throw new JsonPathError(`unexpected ${JSON.stringify(text[i])} at column ${i + 1} of ${source}`);
  }
  return steps;
}

function parseFilter(expression: string, source: string): JsonPathStep {
  const m = /^\s*@((?:\.[A-Za-z0-9_-]+)*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*$/s.exec(expression);
  if (!m) throw new JsonPathError(`unsupported filter ${expression} in ${source} (supported: @.field, @.field == value and !=, <, <=, >, >=)`);
  const path = m[1]!.split('.').filter((p) => p !== '');
  if (m[2] === undefined) return { kind: 'filter', path, op: 'exists' };
  return { kind: 'filter', path, op: m[2] as '==', value: parseLiteral(m[3]!) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function childrenOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.keys(v).map((k) => v[k]);
  return [];
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return typeof a === typeof b && (a as number) < (b as number);
    case '<=': return typeof a === typeof b && (a as number) <= (b as number);
    case '>': return typeof a === typeof b && (a as number) > (b as number);
    case '>=': return typeof a === typeof b && (a as number) >= (b as number);
    default: return false;
  }
}

/**
 * Every match of the path in `data`, in document order. Like Kubernetes' JSONPath (missing keys
 * not allowed), a named field that is missing is an error: `x is not found`.
 */
export function findJsonPath(data: unknown, steps: readonly JsonPathStep[]): unknown[] {
  let current: unknown[] = [data];
  for (const step of steps) {
    const next: unknown[] = [];
    const push = (v: unknown): void => {
      if (next.length >= MAX_RESULTS) throw new JsonPathError(`jsonPath matches more than ${MAX_RESULTS} values`);
      next.push(v);
    };
    for (const value of current) {
      switch (step.kind) {
        case 'child':
          if (isObject(value) && Object.hasOwn(value, step.name)) push(value[step.name]);
          else if (current.length === 1) throw new JsonPathError(`${step.name} is not found`);
          break;
        case 'index':
          if (!Array.isArray(value)) throw new JsonPathError(`[${step.index}] is not applicable: not an array`);
          {
            const i = step.index < 0 ? value.length + step.index : step.index;
            if (i < 0 || i >= value.length) throw new JsonPathError(`array index out of bounds: index ${step.index}, length ${value.length}`);
            push(value[i]);
          }
          break;
        case 'wildcard':
          for (const c of childrenOf(value)) push(c);
          break;
        case 'descendants': {
          const stack: unknown[] = [value];
          while (stack.length > 0) {
            const v = stack.shift();
            if (step.name === undefined) {
              if (v !== value) push(v);
            } else if (isObject(v) && Object.hasOwn(v, step.name)) {
              push(v[step.name]);
            }
            stack.push(...childrenOf(v));
          }
          break;
        }
        case 'filter':
          for (const item of childrenOf(value)) {
            let v: unknown = item;
            let found = true;
            for (const p of step.path) {
              if (isObject(v) && Object.hasOwn(v, p)) v = v[p];
              else {
                found = false;
                break;
              }
            }
            if (!found) continue;
            if (step.op === 'exists' || compare(v, step.op, step.value)) push(item);
          }
          break;
      }
    }
    current = next;
  }
  return current;
}
