// Random conditions and results (seeded, so every run is the same): the language either answers or fails with
// an ExprError — never another exception, never a hang.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, ExprError, measurementPhase, parseCondition } from '../../../functions/expr/index.ts';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['result', 'result[0]', 'result.a', 'result?.b', '#', '.a', '#index', '#acc', '1', '0', '-1', '2.5', '.5',
  '1e3', '"a"', "'b'", 'nil', 'true', 'false', '[', ']', '{', '}', '(', ')', ',', ':', '?', '??', '?.', '.', '..',
  '+', '-', '*', '/', '%', '**', '^', '==', '!=', '<', '>', '<=', '>=', '&&', '||', 'and', 'or', 'not', '!', 'in',
  'matches', 'contains', 'startsWith', 'endsWith', '|', 'let', 'x', '=', ';', 'len(', 'all(', 'any(', 'map(',
  'filter(', 'count(', 'reduce(', 'asInt(', 'asFloat(', 'isNaN(', 'default(', 'isNil(', 'string(', 'int(', 'max(',
  'sum(', 'split(', 'upper(', 'duration(', 'date(', 'now()', 'toJSON(', 'fromJSON(', 'sort(', 'groupBy(', '1..3',
  '"^(a+)+$"', '"[a-z]"', '"("', '__proto__', 'constructor', '"\\n"', '/*', '*/', '//', '`', '@', '{{args.x}}'];

const RESULTS: unknown[] = [null, 0, 1.5, NaN, -Infinity, 'a', '42', true, [], [1, 2, 3], ['a', 'aaaab'],
  Float64Array.from([0.5, 2]), new Float64Array(0), { a: 1, b: [1, 2] }, { a: null }, [{ a: 'x' }, { a: 2 }],
  JSON.parse('{"__proto__": {"a": 1}}') as unknown];

function randomSource(next: () => number): string {
  const n = 1 + Math.floor(next() * 14);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(TOKENS[Math.floor(next() * TOKENS.length)]!);
  return parts.join(next() < 0.7 ? ' ' : '');
}

/** Grammatical random expressions, to reach the evaluator more often than token soup does. */
function randomExpression(next: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  if (depth > 4 || next() < 0.3) {
    return pick(['result', 'result[0]', 'result.a', 'result[-1]', '1', '2.5', '"a"', 'nil', 'true', '[1, 2]',
      '{a: 1}', '1..3', 'result?.a', 'len(result)']);
  }
  const sub = (): string => randomExpression(next, depth + 1);
  switch (Math.floor(next() * 9)) {
    case 0: return `(${sub()} ${pick(['+', '-', '*', '/', '%', '**', '==', '!=', '<', '>=', '&&', '||', '??', 'in', 'contains', 'matches', '..'])} ${sub()})`;
    case 1: return `${pick(['!', '-', 'not '])}${sub()}`;
    case 2: return `${sub()} ? ${sub()} : ${sub()}`;
    case 3: return `${pick(['all', 'any', 'none', 'one', 'filter', 'map', 'count', 'find', 'findIndex', 'groupBy'])}(${sub()}, ${pick(['#', '# > 1', '.a', '#index', 'true', '# == nil'])})`;
    case 4: return `${pick(['len', 'string', 'int', 'float', 'abs', 'first', 'last', 'keys', 'sum', 'asInt', 'asFloat', 'isNaN', 'isNil', 'upper', 'toJSON', 'type'])}(${sub()})`;
    case 5: return `${pick(['max', 'min', 'default', 'split', 'join', 'get', 'take', 'repeat'])}(${sub()}, ${sub()})`;
    case 6: return `${sub()}[${sub()}]`;
    case 7: return `${sub()}[${pick(['', '1', '-1'])}:${pick(['', '2', '-1'])}]`;
    default: return `let v = ${sub()}; ${sub()}`;
  }
}

function exercise(source: string, result: unknown): void {
  const parsed = parseCondition(source, { check: false, placeholders: true });
  if (!parsed.ok) {
    assert.ok(parsed.error instanceof ExprError);
    return;
  }
  try {
    evaluate(parsed.program, { result, now: new Date(0) }, { limits: { maxSteps: 20_000, maxMemory: 20_000 } });
  } catch (e) {
    if (!(e instanceof ExprError)) throw new Error(`${JSON.stringify(source)} threw ${String(e)}`);
  }
  const outcome = measurementPhase({ successCondition: source, result, limits: { maxSteps: 20_000, maxMemory: 20_000 } });
  assert.ok(['Successful', 'Failed', 'Inconclusive', 'Error'].includes(outcome.phase));
}

describe('robustness', () => {
  it('token soup: 3000 random token sequences', () => {
    const next = prng(20240501);
    for (let i = 0; i < 3000; i++) exercise(randomSource(next), RESULTS[Math.floor(next() * RESULTS.length)]);
  });
  it('random well-formed expressions: 3000 of them against every kind of result', () => {
    const next = prng(7);
    for (let i = 0; i < 3000; i++) exercise(randomExpression(next), RESULTS[Math.floor(next() * RESULTS.length)]);
  });
  it('random byte strings', () => {
    const next = prng(99);
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = Math.floor(next() * 30);
      for (let j = 0; j < n; j++) s += String.fromCharCode(Math.floor(next() * 128));
      exercise(s, RESULTS[Math.floor(next() * RESULTS.length)]);
    }
  });
});
