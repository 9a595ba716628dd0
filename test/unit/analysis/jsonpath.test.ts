import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findJsonPath, parseJsonPath } from '../../../functions/analysis/index.ts';

const doc = { status: { ok: true }, items: [{ name: 'a', v: 1, tags: { t: 'x' } }, { name: 'b', v: 2 }], 'dash-key': 3 };

describe('jsonPath subset (web provider)', () => {
  const cases: Array<[string, unknown[]]> = [
    ['{$}', [doc]],
    ['{.}', [doc]],
    ['{$.status.ok}', [true]],
    ['{.status}', [{ ok: true }]],
    ["{$['dash-key']}", [3]],
    ['{$.items[1].name}', ['b']],
    ['{$.items[-1].v}', [2]],
    ['{$.items[*].v}', [1, 2]],
    ['{$..v}', [1, 2]],
    ['{$.items[?(@.name == "b")].v}', [2]],
    ['{$.items[?(@.v > 1)].name}', ['b']],
    ['{$.items[?(@.tags)].name}', ['a']],
    ['$.status.ok', [true]],
  ];
  for (const [path, expected] of cases) {
    it(path, () => assert.deepEqual(findJsonPath(doc, parseJsonPath(path)), expected));
  }

  it('a missing field is an error, as in Kubernetes JSONPath', () => {
    assert.throws(() => findJsonPath(doc, parseJsonPath('{$.nope}')), /nope is not found/);
    assert.throws(() => findJsonPath(doc, parseJsonPath('{$.items[5]}')), /array index out of bounds/);
  });

  it('scripts and unsupported syntax are refused, not evaluated', () => {
    assert.throws(() => parseJsonPath('{$.items[(@.length-1)]}'), /unsupported subscript/);
    assert.throws(() => parseJsonPath('{$.items[?(@.constructor.constructor("x")())]}'), /unsupported filter/);
    assert.throws(() => parseJsonPath('{$.a'), /unclosed/);
  });

  it('__proto__ is an ordinary missing key', () => {
    assert.throws(() => findJsonPath({}, parseJsonPath('{$.__proto__}')), /__proto__ is not found/);
    assert.deepEqual(findJsonPath(JSON.parse('{"__proto__": 1}'), parseJsonPath('{$.__proto__}')), [1]);
  });
});
