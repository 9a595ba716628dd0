// Hashes that name things: the pod-template hash (ReplicaSet names, the
// `rollouts-pod-template-hash` label, Service selectors) and the canary step hash
// (status.currentStepHash; a change restarts the steps).
//
// Both are FNV-1a 32 over a JSON text, written as the decimal digits of the 32-bit value with
// each digit mapped through Kubernetes' "safe" alphabet, the way Argo Rollouts spells them
// (only the characters 4 5 6 7 8 9 b c d f appear).
//
// - The pod-template hash is Ramp's own: Argo hashes Go's encoding of the typed template,
//   which a TypeScript program cannot reproduce. It is deterministic (keys sorted), so a
//   template always gets the same hash; ReplicaSets created by Argo are still recognised by
//   comparing templates (template-equality.ts), and keep their hash.
// - The step hash follows Go's encoding of `[]CanaryStep` (fields in declaration order,
//   unknown fields dropped, map keys sorted, HTML characters escaped), so that for ordinary
//   manifests it equals the value Argo wrote and a Rollout taken over mid-update keeps its step.
import { CanaryStepSchema, POD_TEMPLATE_HASH_LABEL, type CanaryStep, type PodTemplateSpec } from '../../api/index.ts';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bit, over bytes. */
export function fnv1a32(bytes: Uint8Array, seed = FNV_OFFSET_BASIS): number {
  let hash = seed >>> 0;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** Maps each character through the safe alphabet by its code point (Kubernetes' SafeEncodeString). */
export function safeEncode(text: string): string {
  let out = '';
  for (const ch of text) out += SAFE_ALPHABET[(ch.codePointAt(0) ?? 0) % SAFE_ALPHABET.length];
  return out;
}

/** The decimal digits of a 32-bit hash, safe-encoded. */
export function encodeHash(hash: number): string {
  return safeEncode(String(hash >>> 0));
}

const utf8 = new TextEncoder();

/** JSON with object keys sorted at every level and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** The template with the pod-template-hash label taken out (it never takes part in a hash or a comparison). */
export function withoutHashLabel(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy: PodTemplateSpec = structuredClone(template ?? {});
  const labels = copy.metadata?.labels;
  if (labels !== undefined && POD_TEMPLATE_HASH_LABEL in labels) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

/**
 * The pod-template hash of a Rollout template: FNV-1a 32 over its canonical JSON (without the
 * hash label), followed — when a collision count is given — by the count as 8 bytes little
 * endian, as Kubernetes does for Deployments.
 */
export function podTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let hash = fnv1a32(utf8.encode(canonicalJson(withoutHashLabel(template))));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(bytes, hash);
  }
  return encodeHash(hash);
}

// ---------------------------------------------------------------------------------------------
// Step hash

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Go's encoding/json escapes these inside strings. */
function goString(text: string): string {
  return JSON.stringify(text)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JSON as Go's encoding/json writes a value decoded into the struct the schema describes:
 * declared fields in declaration order, undeclared ones dropped, map keys sorted.
 */
export function goJson(value: unknown, schema: SchemaNode | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => goJson(item, schema?.items)).join(',')}]`;
  const record = value as Record<string, unknown>;
  if (schema?.properties !== undefined) {
    const parts: string[] = [];
    for (const [key, child] of Object.entries(schema.properties)) {
      if (record[key] === undefined) continue;
      parts.push(`${goString(key)}:${goJson(record[key], child)}`);
    }
    return `{${parts.join(',')}}`;
  }
  const valueSchema = schema?.patternProperties === undefined ? undefined : Object.values(schema.patternProperties)[0];
  const parts = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${goString(key)}:${goJson(record[key], valueSchema)}`);
  return `{${parts.join(',')}}`;
}

/** status.currentStepHash for these canary steps (an absent list hashes like Go's nil slice, "null"). */
export function canaryStepHash(steps: readonly CanaryStep[] | undefined): string {
  const text = steps === undefined ? 'null' : goJson(steps, { type: 'array', items: CanaryStepSchema as SchemaNode });
  return encodeHash(fnv1a32(utf8.encode(text)));
}
