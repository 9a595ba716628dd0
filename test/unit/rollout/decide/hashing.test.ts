import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aPodTemplate } from '../../../fixtures/index.ts';
import { canaryStepHash, canonicalJson, encodeHash, fnv1a32, goJson, podTemplateHash, safeEncode } from '../../../../functions/rollout/decide/index.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('hashing › FNV-1a 32', () => {
  // Published FNV-1a test vectors.
  const cases: Array<[string, number]> = [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ];
  for (const [input, expected] of cases) {
    it(`fnv1a32(${JSON.stringify(input)}) = 0x${expected.toString(16)}`, () => assert.equal(fnv1a32(bytes(input)), expected));
  }
});

describe('hashing › safe encoding', () => {
  it('maps decimal digits through the Kubernetes safe alphabet (0→4 … 5→9, 6→b … 9→f)', () => {
    assert.equal(safeEncode('0123456789'), '456789bcdf');
  });
  it('encodes a hash as its decimal digits', () => assert.equal(encodeHash(1234567890), safeEncode('1234567890')));
});

describe('hashing › canonical JSON', () => {
  it('sorts keys at every level and drops undefined members', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});

describe('hashing › pod-template hash', () => {
  const template = aPodTemplate({ app: 'demo' }, 'demo:1');

  it('is deterministic and uses only the safe characters', () => {
    const hash = podTemplateHash(template);
    assert.equal(podTemplateHash(structuredClone(template)), hash);
    assert.match(hash, /^[456789bcdf]+$/);
  });

  it('does not depend on key order', () => {
    const reordered = { spec: template.spec, metadata: template.metadata };
    assert.equal(podTemplateHash(reordered), podTemplateHash(template));
  });

  it('ignores the rollouts-pod-template-hash label', () => {
    const labelled = structuredClone(template);
    labelled.metadata = { labels: { ...labelled.metadata?.labels, 'rollouts-pod-template-hash': 'abc' } };
    assert.equal(podTemplateHash(labelled), podTemplateHash(template));
  });

  it('changes with the template and with the collision count', () => {
    const other = aPodTemplate({ app: 'demo' }, 'demo:2');
    assert.notEqual(podTemplateHash(other), podTemplateHash(template));
    assert.notEqual(podTemplateHash(template, 1), podTemplateHash(template));
    assert.notEqual(podTemplateHash(template, 2), podTemplateHash(template, 1));
  });
});

describe('hashing › canary step hash (Go encoding of []CanaryStep)', () => {
  it('writes fields in declaration order whatever order they were given in', () => {
    const step = { analysis: { args: [{ name: 'a', value: 'b' }], templates: [{ templateName: 't' }] } };
    assert.equal(goJson([step], { type: 'array', items: { type: 'object', properties: { analysis: { type: 'object', properties: { templates: {}, args: {} } } } } }), '[{"analysis":{"templates":[{"templateName":"t"}],"args":[{"name":"a","value":"b"}]}}]');
  });

  it('is the FNV-1a of that JSON, safe-encoded', () => {
    assert.equal(canaryStepHash([{ setWeight: 20 }, { pause: {} }]), encodeHash(fnv1a32(bytes('[{"setWeight":20},{"pause":{}}]'))));
  });

  it('drops fields Go does not know and escapes HTML characters as Go does', () => {
    const withUnknown = [{ setWeight: 20, note: 'x' } as never];
    assert.equal(canaryStepHash(withUnknown), canaryStepHash([{ setWeight: 20 }]));
    const steps = [{ setMirrorRoute: { name: 'a<b>&c' } }];
    assert.equal(canaryStepHash(steps), encodeHash(fnv1a32(bytes('[{"setMirrorRoute":{"name":"a\\u003cb\\u003e\\u0026c"}}]'))));
  });

  it('differs when the steps differ, and an absent list hashes like Go\'s nil slice', () => {
    assert.notEqual(canaryStepHash([{ setWeight: 20 }]), canaryStepHash([{ setWeight: 30 }]));
    assert.equal(canaryStepHash(undefined), encodeHash(fnv1a32(bytes('null'))));
  });
});
