// Runtime shape validation of Argo objects against the same schemas the CRDs come from. Shape
// only: types, required fields, int-or-string, formats, unknown fields. Semantic rules
// (setWeight within 0..100, exactly one strategy, …) belong to the admission validators.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import {
  type FieldError,
  forbiddenError,
  invalidError,
  notSupportedError,
  requiredError,
} from '../field-error.ts';
import { ARGO_API_VERSION } from '../groups.ts';
import { type ArgoKind, KIND_DEFINITIONS } from '../kinds.ts';
import { childPath, pointerToFieldPath } from './field-path.ts';
import { toShapeSchema } from './shape-schema.ts';

export interface ShapeOptions {
  /**
   * `report` (default): a field the schema does not declare, outside objects that keep unknown
   * fields, is a Forbidden error — typos such as `setWieght` are caught by `ramp lint`.
   * `ignore`: such fields pass, as the API server would prune them silently.
   */
  unknownFields?: 'report' | 'ignore';
}

type SchemaNode = Record<string, unknown>;

interface CompiledShape {
  schema: SchemaNode;
  validate: ValidateFunction;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Every shape problem of `object` as a {@link FieldError} with a Kubernetes field path, e.g.
 * `spec.strategy.canary.steps[2].setWeight: Invalid value: "x": must be an integer`.
 * `null` stands for an absent field, as the API server treats it. Pure; schemas are compiled
 * once per kind and option set.
 */
export function validateShape(kind: ArgoKind, object: unknown, options: ShapeOptions = {}): FieldError[] {
  const compiled = compiledShape(kind, options.unknownFields ?? 'report');
  const data = withoutNulls(object);
  const errors: FieldError[] = [...identityErrors(kind, data)];
  if (!compiled.validate(data)) {
    for (const error of compiled.validate.errors ?? []) {
      const fieldError = toFieldError(compiled.schema, error);
      if (fieldError !== undefined) errors.push(fieldError);
    }
  }
  return dedupe(errors);
}

const cache = new Map<string, CompiledShape>();

function compiledShape(kind: ArgoKind, unknownFields: 'report' | 'ignore'): CompiledShape {
  const key = `${kind}/${unknownFields}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    const schema = toShapeSchema(KIND_DEFINITIONS[kind].schema, unknownFields === 'report');
    compiled = { schema, validate: shapeAjv().compile(schema) };
    cache.set(key, compiled);
  }
  return compiled;
}

let ajvInstance: Ajv | undefined;

function shapeAjv(): Ajv {
  if (ajvInstance !== undefined) return ajvInstance;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => n >= INT32_MIN && n <= INT32_MAX });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    schemaType: 'boolean',
    errors: true,
    validate: (enabled: boolean, value: unknown) =>
      !enabled || typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)),
  });
  for (const keyword of [
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-map-type',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-validations',
    'x-kubernetes-embedded-resource',
  ]) {
    ajv.addKeyword({ keyword });
  }
  ajvInstance = ajv;
  return ajv;
}

function identityErrors(kind: ArgoKind, data: unknown): FieldError[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  const { apiVersion, kind: actualKind } = data as { apiVersion?: unknown; kind?: unknown };
  const errors: FieldError[] = [];
  if (typeof apiVersion === 'string' && apiVersion !== ARGO_API_VERSION) {
    errors.push(notSupportedError('apiVersion', apiVersion, [ARGO_API_VERSION]));
  }
  if (typeof actualKind === 'string' && actualKind !== kind) errors.push(notSupportedError('kind', actualKind, [kind]));
  return errors;
}

const ARTICLE_TYPE: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function toFieldError(schema: SchemaNode, error: ErrorObject): FieldError | undefined {
  const path = pointerToFieldPath(schema, error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return requiredError(childPath(path, String(params['missingProperty'])));
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema?.['properties'] as object | undefined) ?? {});
      const detail = known.length === 0 ? 'unknown field; this object takes no fields' : `unknown field; known fields: ${known.join(', ')}`;
      return forbiddenError(childPath(path, String(params['additionalProperty'])), detail);
    }
    case 'type': {
      const expected = String(params['type'])
        .split(',')
        .map((t) => ARTICLE_TYPE[t] ?? t)
        .join(' or ');
      return invalidError(path, error.data, `must be ${expected}`);
    }
    case 'x-kubernetes-int-or-string':
      return invalidError(path, error.data, 'must be an integer or a string');
    case 'format':
      return invalidError(path, error.data, formatDetail(String(params['format'])));
    case 'enum':
      return notSupportedError(path, error.data, (params['allowedValues'] as unknown[] | undefined) ?? []);
    default:
      return invalidError(path, error.data, error.message ?? `fails ${error.keyword}`);
  }
}

function formatDetail(format: string): string {
  switch (format) {
    case 'int32':
      return `must fit in a 32-bit integer (${INT32_MIN}..${INT32_MAX})`;
    case 'int64':
      return 'must be an integer JavaScript can represent exactly (|n| < 2^53)';
    case 'date-time':
      return 'must be an RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z';
    default:
      return `must match format ${format}`;
  }
}

/** A deep copy in which object properties set to null are gone (the API server drops them too). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== null) copy[key] = withoutNulls(child);
  }
  return copy;
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.path}\u0000${error.type}\u0000${error.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
