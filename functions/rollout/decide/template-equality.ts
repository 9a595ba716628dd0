// Whether a ReplicaSet runs the Rollout's pod template. The ReplicaSet's copy went through the
// API server, which filled in defaults (restartPolicy, dnsPolicy, terminationMessagePath,
// imagePullPolicy, port protocol, …) and rewrote resource quantities in canonical form; the
// Rollout's copy (a custom resource) did not. So both sides are brought to the same normal
// form — Kubernetes' defaults filled in where absent, quantities as exact numbers, empty and
// null members dropped, the pod-template-hash label and recorded ephemeral metadata taken
// out — and then compared. Filling a default on both sides never makes two different
// templates equal, since a default is what an absent field means.
import { EPHEMERAL_METADATA_ANNOTATION, POD_TEMPLATE_HASH_LABEL, type PodTemplateSpec } from '../../api/index.ts';
import { canonicalJson } from './hashing.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fill(target: JsonObject, key: string, value: Json): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

/** What `kubectl` and the API server assume when imagePullPolicy is absent. */
function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Json | undefined): void {
  if (!isObject(probe)) return;
  fill(probe, 'timeoutSeconds', 1);
  fill(probe, 'periodSeconds', 10);
  fill(probe, 'successThreshold', 1);
  fill(probe, 'failureThreshold', 3);
  if (isObject(probe['httpGet'])) fill(probe['httpGet'], 'scheme', 'HTTP');
}

function defaultContainer(container: Json): void {
  if (!isObject(container)) return;
  fill(container, 'terminationMessagePath', '/dev/termination-log');
  fill(container, 'terminationMessagePolicy', 'File');
  fill(container, 'imagePullPolicy', defaultPullPolicy(container['image']));
  const ports = container['ports'];
  if (Array.isArray(ports)) for (const port of ports) if (isObject(port)) fill(port, 'protocol', 'TCP');
  const env = container['env'];
  if (Array.isArray(env)) {
    for (const variable of env) {
      if (isObject(variable) && isObject(variable['valueFrom']) && isObject(variable['valueFrom']['fieldRef'])) {
        fill(variable['valueFrom']['fieldRef'], 'apiVersion', 'v1');
      }
    }
  }
  const resources = container['resources'];
  if (isObject(resources) && isObject(resources['limits'])) {
    // Requests default to the limits, resource by resource.
    const requests: JsonObject = isObject(resources['requests']) ? resources['requests'] : {};
    for (const [name, limit] of Object.entries(resources['limits'])) fill(requests, name, limit);
    resources['requests'] = requests;
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(container[probe]);
}

const VOLUME_SOURCES_WITH_DEFAULT_MODE = ['configMap', 'secret', 'downwardAPI', 'projected'];

function defaultVolume(volume: Json): void {
  if (!isObject(volume)) return;
  for (const source of VOLUME_SOURCES_WITH_DEFAULT_MODE) {
    if (isObject(volume[source])) fill(volume[source], 'defaultMode', 420);
  }
}

function defaultPodSpec(spec: JsonObject): void {
  fill(spec, 'restartPolicy', 'Always');
  fill(spec, 'terminationGracePeriodSeconds', 30);
  fill(spec, 'dnsPolicy', 'ClusterFirst');
  fill(spec, 'schedulerName', 'default-scheduler');
  fill(spec, 'enableServiceLinks', true);
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const containers = spec[list];
    if (Array.isArray(containers)) for (const container of containers) defaultContainer(container);
  }
  const volumes = spec['volumes'];
  if (Array.isArray(volumes)) for (const volume of volumes) defaultVolume(volume);
}

// ---------------------------------------------------------------------------------------------
// Quantities

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|(n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;
const BINARY_POWER: Record<string, bigint> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

/** A Kubernetes quantity as an exact fraction ("500m" and "0.5" give the same text), or undefined if it is not one. */
export function normalizeQuantity(text: string): string | undefined {
  const m = QUANTITY.exec(text.trim());
  if (m === null) return undefined;
  const [, sign, number = '', binary, decimal, exponent] = m;
  const [whole = '', fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole}${fraction}` || '0');
  let denominator = 10n ** BigInt(fraction.length);
  if (binary !== undefined) numerator *= 2n ** (BINARY_POWER[binary] ?? 0n);
  const power = decimal !== undefined ? (DECIMAL_EXPONENT[decimal] ?? 0) : exponent !== undefined ? Number(exponent) : 0;
  if (Math.abs(power) > 100) return undefined;
  if (power >= 0) numerator *= 10n ** BigInt(power);
  else denominator *= 10n ** BigInt(-power);
  const divisor = gcd(numerator, denominator);
  numerator /= divisor;
  denominator /= divisor;
  if (sign === '-' && numerator !== 0n) numerator = -numerator;
  return denominator === 1n ? `${numerator}` : `${numerator}/${denominator}`;
}

function normalizeResources(spec: JsonObject): void {
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      if (!isObject(container) || !isObject(container['resources'])) continue;
      for (const kind of ['limits', 'requests']) {
        const amounts = container['resources'][kind];
        if (!isObject(amounts)) continue;
        for (const [name, amount] of Object.entries(amounts)) {
          const text = typeof amount === 'number' ? String(amount) : amount;
          if (typeof text === 'string') amounts[name] = normalizeQuantity(text) ?? text;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Drops null members, empty objects and empty arrays, recursively (Go's omitempty makes them equivalent). */
function prune(value: Json): Json | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => prune(item) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, member] of Object.entries(value)) {
      const pruned = prune(member);
      if (pruned !== undefined) out[key] = pruned;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

interface EphemeralMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function parseEphemeral(annotations: Readonly<Record<string, string>> | undefined): EphemeralMetadata {
  const raw = annotations?.[EPHEMERAL_METADATA_ANNOTATION];
  if (raw === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? (parsed as EphemeralMetadata) : {};
  } catch {
    return {};
  }
}

/**
 * The comparable form of a pod template. `replicaSetAnnotations` are the annotations of the
 * ReplicaSet the template comes from: metadata recorded there as injected (ephemeral canary /
 * stable metadata) is not part of the template proper and is taken out.
 */
export function normalizedTemplate(
  template: PodTemplateSpec | undefined,
  replicaSetAnnotations?: Readonly<Record<string, string>>,
): string {
  const copy = structuredClone((template ?? {}) as JsonObject);
  const metadata = isObject(copy['metadata']) ? copy['metadata'] : {};
  copy['metadata'] = metadata;
  delete metadata['creationTimestamp'];
  const ephemeral = parseEphemeral(replicaSetAnnotations);
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (!isObject(map)) continue;
    for (const key of Object.keys(ephemeral[field] ?? {})) {
      if (map[key] === ephemeral[field]?.[key]) delete map[key];
    }
    if (field === 'labels') delete map[POD_TEMPLATE_HASH_LABEL];
  }
  const spec = isObject(copy['spec']) ? copy['spec'] : {};
  copy['spec'] = spec;
  defaultPodSpec(spec);
  normalizeResources(spec);
  return canonicalJson(prune(copy) ?? {});
}

/**
 * Whether a ReplicaSet's stored template is the Rollout's template, ignoring the
 * pod-template-hash label, the API server's defaults, quantity spelling and injected
 * ephemeral metadata.
 */
export function podTemplatesEqual(
  rolloutTemplate: PodTemplateSpec | undefined,
  replicaSetTemplate: PodTemplateSpec | undefined,
  replicaSetAnnotations?: Readonly<Record<string, string>>,
): boolean {
  return normalizedTemplate(rolloutTemplate) === normalizedTemplate(replicaSetTemplate, replicaSetAnnotations);
}
