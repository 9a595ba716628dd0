// A table-driven defaulter: each entry names a parent object, a field and a value, and the field
// is filled only when the parent exists (or may be created) and the field is absent. Running the
// table twice gives the same result as running it once, which `reinvocationPolicy: IfNeeded`
// relies on.
import { isAbsent, isJsonObject, type JsonObject } from './json.ts';

export interface FieldDefault {
  /**
   * Dotted path of the object that holds the field, from the object root; `*` steps into every
   * element of an array: `spec.strategy.canary.steps.*.experiment.templates.*`.
   */
  parent: string;
  field: string;
  value: unknown;
  /** Create the parent (only its last segment) when it is absent; its own parent must exist. */
  createParent?: boolean;
  /** Extra condition on the whole object (e.g. "only with trafficRouting"). */
  when?: (root: JsonObject) => boolean;
}

/** The path the field gets in messages and docs, e.g. `spec.strategy.canary.maxSurge`. */
export function fieldDefaultPath(entry: FieldDefault): string {
  return `${entry.parent}.${entry.field}`.replace(/\.\*/g, '[*]');
}

/**
 * Applies `table` to `root` in place and returns the Kubernetes field paths that were filled
 * (`spec.strategy.canary.steps[2].experiment.templates[0].replicas`).
 */
export function applyFieldDefaults(root: JsonObject, table: readonly FieldDefault[]): string[] {
  const filled: string[] = [];
  for (const entry of table) {
    if (entry.when !== undefined && !entry.when(root)) continue;
    for (const { object, path } of parentsOf(root, entry.parent.split('.'), entry.createParent === true)) {
      if (isAbsent(object[entry.field])) {
        object[entry.field] = structuredClone(entry.value);
        filled.push(path === '' ? entry.field : `${path}.${entry.field}`);
      }
    }
  }
  return filled;
}

interface Located {
  object: JsonObject;
  path: string;
}

function parentsOf(root: JsonObject, segments: string[], createLast: boolean): Located[] {
  let current: Located[] = [{ object: root, path: '' }];
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const next: Located[] = [];
    for (const { object, path } of current) {
      if (segment === '*') {
        // `*` only follows a field that holds an array; handled when stepping into that field.
        continue;
      }
      const value = object[segment];
      const childPath = path === '' ? segment : `${path}.${segment}`;
      if (segments[i + 1] === '*') {
        if (!Array.isArray(value)) continue;
        value.forEach((element, j) => {
          if (isJsonObject(element)) next.push({ object: element, path: `${childPath}[${j}]` });
        });
      } else if (isJsonObject(value)) {
        next.push({ object: value, path: childPath });
      } else if (last && createLast && isAbsent(value)) {
        const created: JsonObject = {};
        object[segment] = created;
        next.push({ object: created, path: childPath });
      }
    }
    current = segment === '*' ? current : next;
  });
  return current;
}
