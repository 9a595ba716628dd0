// Every example in docs/analysis-conditions.md gives the value or error the page says.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { evaluate, evaluateCondition, ExprError, parseCondition } from '../../../functions/expr/index.ts';

const page = readFileSync(new URL('../../../docs/analysis-conditions.md', import.meta.url), 'utf8');

interface Example { condition: string; result: unknown; expected: string }

function cells(row: string): string[] {
  // Split on | not escaped as \|, then unescape.
  return row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim().replaceAll('\\|', '|'));
}

function code(cell: string): string {
  const m = /^`(.*)`$/.exec(cell);
  if (!m) throw new Error(`expected a code cell, got ${cell}`);
  return m[1]!;
}

function parseResult(cell: string): unknown {
  const text = code(cell);
  const vector = /^vector \[(.*)\]$/.exec(text);
  if (vector) {
    const items = vector[1]!.trim() === '' ? [] : vector[1]!.split(',').map((x) => Number(x.trim()));
    return Float64Array.from(items);
  }
  return JSON.parse(text) as unknown;
}

function examples(): Example[] {
  const section = page.split('## Examples')[1]!.split('\n## ')[0]!;
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return rows.map((row) => {
    const [condition, result, expected] = cells(row) as [string, string, string];
    return { condition: code(condition), result: parseResult(result), expected };
  });
}

describe('docs/analysis-conditions.md examples', () => {
  const all = examples();
  it('has examples', () => {
    assert.ok(all.length >= 30);
  });
  for (const { condition, result, expected } of all) {
    it(`${condition} → ${expected}`, () => {
      const parsed = parseCondition(condition);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
      let actual: string;
      try {
        actual = `\`${evaluateCondition(parsed.program, { result })}\``;
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        actual = `error: \`${e.detail}\``;
      }
      assert.equal(actual, expected);
    });
  }
});

describe('docs/analysis-conditions.md inline claims', () => {
  const value = (source: string, result: unknown = null): unknown => {
    const parsed = parseCondition(source);
    assert.ok(parsed.ok);
    return evaluate(parsed.program, { result });
  };
  it('operator examples', () => {
    assert.equal(value('7 / 2 == 3.5'), true);
    assert.equal(value('-2 ** 2'), -4);
    assert.equal(value('"1.9" > "1.10"'), true);
    assert.equal(value('1 == 1.0'), true);
    assert.equal(value('"abc" matches "b"'), true);
    assert.equal(value('len("é") == 2'), true);
    assert.equal(value('let r = result.rate; r > 0.9 && r < 1', { rate: 0.95 }), true);
    const hyphen = parseCondition('result.error-rate');
    assert.ok(!hyphen.ok && hyphen.error.detail === 'unknown name rate');
  });
  it('syntax error example', () => {
    const parsed = parseCondition('result[0] >= )');
    assert.ok(!parsed.ok && parsed.error.message === 'unexpected token ")" at 1:14, expected an operand');
  });
});
