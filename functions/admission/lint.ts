// ramp lint, offline: the same defaulting, validation and policy checks as admission, on
// multi-document YAML. Pure: file contents in, report lines out.
import { LineCounter, parseAllDocuments } from 'yaml';
import {
  ARGO_API_VERSION,
  type ArgoKind,
  type FieldError,
  formatFieldError,
  isArgoKind,
  type Rollout,
  type RolloutPolicy,
  validateShape,
} from '../api/index.ts';
import { isJsonObject, type JsonObject } from '../defaults/json.ts';
import {
  DEFAULTS_KEY_BY_KIND,
  findPolicyConflicts,
  formatConflict,
  policyName,
  RAMP_API_VERSION,
  type RuleFinding,
  targetOf,
  validateRolloutPolicy,
} from '../policy/index.ts';
import { type Labels, stringLabels } from '../selectors/index.ts';
import { checkRolloutReferences, type ReferencedObjects } from '../validate/index.ts';
import { checkArgoObject, defaultArgoObject } from './check-object.ts';

export interface LintInput {
  /** As shown in the output; `-` is shown as `<stdin>`. */
  file: string;
  text: string;
}

export type LintSeverity = 'error' | 'warning' | 'audit';

export interface LintLine {
  file: string;
  /** 1-based position of the document in its file. */
  doc: number;
  path: string;
  severity: LintSeverity;
  message: string;
}

export interface LintReport {
  lines: LintLine[];
  errors: number;
  warnings: number;
  /** Documents checked (Argo kinds and RolloutPolicies). */
  checked: number;
}

/** `FILE:DOC: path: message`, with `warning: ` or `audit: ` before the message when it is not an error. */
export function formatLintLine(line: LintLine): string {
  const file = line.file === '-' ? '<stdin>' : line.file;
  const prefix = line.severity === 'error' ? '' : `${line.severity}: `;
  return `${file}:${line.doc}: ${line.path}: ${prefix}${line.message}`;
}

interface Doc {
  file: string;
  doc: number;
  value: unknown;
  yamlErrors: string[];
}

function documentsOf(input: LintInput): Doc[] {
  const lineCounter = new LineCounter();
  return parseAllDocuments(input.text, { prettyErrors: false, uniqueKeys: true, lineCounter }).map((document, i) => {
    const yamlErrors = document.errors.map((e) => {
      const line = lineCounter.linePos(e.pos[0]);
      return `YAML error at line ${line.line}, column ${line.col}: ${e.message.split('\n')[0]}`;
    });
    let value: unknown = null;
    if (yamlErrors.length === 0) {
      try {
        value = document.toJS({ maxAliasCount: 100 });
      } catch (error) {
        yamlErrors.push(`YAML error: ${(error as Error).message}`);
      }
    }
    return { file: input.file, doc: i + 1, value, yamlErrors };
  });
}

function fieldLines(doc: Doc, errors: readonly FieldError[]): LintLine[] {
  return errors.map((e) => {
    const text = formatFieldError(e);
    return { file: doc.file, doc: doc.doc, path: e.path, severity: 'error', message: text.slice(e.path.length + 2) };
  });
}

function findingLines(doc: Doc, finding: RuleFinding): LintLine[] {
  const severity: LintSeverity = finding.enforcementAction === 'deny' ? 'error' : finding.enforcementAction === 'warn' ? 'warning' : 'audit';
  return finding.failures.map((f) => ({
    file: doc.file,
    doc: doc.doc,
    path: f.path === '' ? '<root>' : f.path,
    severity,
    message: `RolloutPolicy "${finding.policy}" rule "${finding.rule}": ${finding.message}: ${f.detail}`,
  }));
}

/** Reads policies from the --policy inputs; problems of those documents are reported as lint errors. */
function loadPolicies(inputs: readonly LintInput[], lines: LintLine[]): Array<{ policy: RolloutPolicy; doc: Doc }> {
  const loaded: Array<{ policy: RolloutPolicy; doc: Doc }> = [];
  for (const input of inputs) {
    for (const doc of documentsOf(input)) {
      if (doc.yamlErrors.length > 0) {
        lines.push(...doc.yamlErrors.map((message): LintLine => ({ file: doc.file, doc: doc.doc, path: '<root>', severity: 'error', message })));
        continue;
      }
      if (doc.value === null || doc.value === undefined) continue;
      if (!isJsonObject(doc.value) || doc.value['kind'] !== 'RolloutPolicy') {
        lines.push({ file: doc.file, doc: doc.doc, path: 'kind', severity: 'error', message: `a --policy file holds ${RAMP_API_VERSION} RolloutPolicy documents only` });
        continue;
      }
      const errors = validateRolloutPolicy(doc.value);
      if (errors.length > 0) lines.push(...fieldLines(doc, errors));
      else loaded.push({ policy: doc.value as unknown as RolloutPolicy, doc });
    }
  }
  return loaded;
}

type ByNamespace<T> = Map<string, Map<string, T>>;

function put<T>(index: ByNamespace<T>, namespace: string, name: string, value: T): void {
  let names = index.get(namespace);
  if (names === undefined) index.set(namespace, (names = new Map()));
  names.set(name, value);
}

export function lintDocuments(inputs: readonly LintInput[], policyInputs: readonly LintInput[] = []): LintReport {
  const lines: LintLine[] = [];
  const loaded = loadPolicies(policyInputs, lines);
  const policies = loaded.map((l) => l.policy);
  const where = new Map(loaded.map((l) => [policyName(l.policy), l.doc]));
  for (const conflict of findPolicyConflicts(policies)) {
    const first = where.get(conflict.candidates[0]?.policy ?? '');
    if (first === undefined) continue;
    const key = DEFAULTS_KEY_BY_KIND[conflict.kind ?? 'Rollout'] ?? 'rollout';
    lines.push({
      file: first.file,
      doc: first.doc,
      path: `spec.defaults.${key}.${conflict.path.slice('spec.'.length)}`,
      severity: 'warning',
      message: formatConflict(conflict).slice(conflict.path.length + 2),
    });
  }

  const docs = inputs.flatMap(documentsOf);
  // Objects other documents may refer to: namespaces (for namespaceSelector), Services,
  // Ingresses and analysis templates (for reference warnings).
  const namespaces = new Map<string, Labels>();
  const services: ByNamespace<unknown> = new Map();
  const ingresses: ByNamespace<unknown> = new Map();
  const templates: ByNamespace<unknown> = new Map();
  const clusterTemplates = new Map<string, unknown>();
  let seen = { services: false, ingresses: false, templates: false, clusterTemplates: false };
  for (const { value } of docs) {
    if (!isJsonObject(value) || !isJsonObject(value['metadata'])) continue;
    const metadata = value['metadata'];
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
    const namespace = typeof metadata['namespace'] === 'string' && metadata['namespace'] !== '' ? metadata['namespace'] : 'default';
    switch (value['kind']) {
      case 'Namespace':
        namespaces.set(name, stringLabels(metadata['labels']));
        break;
      case 'Service':
        put(services, namespace, name, value);
        seen = { ...seen, services: true };
        break;
      case 'Ingress':
        put(ingresses, namespace, name, value);
        seen = { ...seen, ingresses: true };
        break;
      case 'AnalysisTemplate':
        put(templates, namespace, name, value);
        seen = { ...seen, templates: true };
        break;
      case 'ClusterAnalysisTemplate':
        clusterTemplates.set(name, value);
        seen = { ...seen, clusterTemplates: true };
        break;
    }
  }

  let checked = 0;
  for (const doc of docs) {
    if (doc.yamlErrors.length > 0) {
      lines.push(...doc.yamlErrors.map((message): LintLine => ({ file: doc.file, doc: doc.doc, path: '<root>', severity: 'error', message })));
      continue;
    }
    const value = doc.value;
    if (value === null || value === undefined) continue;
    if (!isJsonObject(value)) {
      lines.push({ file: doc.file, doc: doc.doc, path: '<root>', severity: 'error', message: 'not a Kubernetes object (a mapping with apiVersion, kind and metadata)' });
      continue;
    }
    const kind = value['kind'];
    if (typeof kind !== 'string' || kind === '') {
      lines.push({ file: doc.file, doc: doc.doc, path: 'kind', severity: 'error', message: 'Required value: every document needs apiVersion and kind' });
      continue;
    }
    if (kind === 'RolloutPolicy') {
      checked++;
      lines.push(...fieldLines(doc, validateRolloutPolicy(value)));
      continue;
    }
    if (!isArgoKind(kind) || (value['apiVersion'] !== ARGO_API_VERSION && value['apiVersion'] !== undefined)) continue;
    checked++;
    lines.push(...lintArgoObject(doc, kind, value, policies, namespaces, { services, ingresses, templates, clusterTemplates, seen }));
  }
  const errors = lines.filter((l) => l.severity === 'error').length;
  return { lines, errors, warnings: lines.length - errors, checked };
}

interface Refs {
  services: ByNamespace<unknown>;
  ingresses: ByNamespace<unknown>;
  templates: ByNamespace<unknown>;
  clusterTemplates: Map<string, unknown>;
  seen: { services: boolean; ingresses: boolean; templates: boolean; clusterTemplates: boolean };
}

function lintArgoObject(doc: Doc, kind: ArgoKind, object: JsonObject, policies: readonly RolloutPolicy[], namespaces: Map<string, Labels>, refs: Refs): LintLine[] {
  const lines: LintLine[] = [];
  const bare = targetOf(object, undefined, 'default');
  const target = targetOf(object, bare.namespace === undefined ? undefined : namespaces.get(bare.namespace), 'default');
  // Typos: the API server would prune unknown fields silently; lint names them.
  const unknown = validateShape(kind, object, { unknownFields: 'report' }).filter((e) => e.type === 'Forbidden' && e.detail.startsWith('unknown field'));
  lines.push(...fieldLines(doc, unknown));

  const defaulted = defaultArgoObject(kind, object, policies, target);
  const check = checkArgoObject(kind, defaulted.object, undefined, policies, target);
  lines.push(...fieldLines(doc, check.fieldErrors));
  for (const finding of check.findings) lines.push(...findingLines(doc, finding));
  for (const conflict of defaulted.conflicts) {
    lines.push({ file: doc.file, doc: doc.doc, path: conflict.path, severity: 'warning', message: formatConflict(conflict).slice(conflict.path.length + 2) });
  }
  const unevaluated = [...new Set([...defaulted.unevaluated, ...check.unevaluated.map((u) => u.split('/')[0]!)])];
  for (const name of unevaluated) {
    lines.push({
      file: doc.file,
      doc: doc.doc,
      path: '<root>',
      severity: 'warning',
      message: `RolloutPolicy "${name}" was not evaluated: the labels of namespace "${target.namespace ?? ''}" are unknown; add its Namespace document to the input`,
    });
  }
  if (kind === 'Rollout') {
    const namespace = target.namespace ?? 'default';
    const referenced: ReferencedObjects = {
      ...(refs.seen.services ? { services: (refs.services.get(namespace) ?? new Map()) as ReferencedObjects['services'] } : {}),
      ...(refs.seen.ingresses ? { ingresses: (refs.ingresses.get(namespace) ?? new Map()) as ReferencedObjects['ingresses'] } : {}),
      ...(refs.seen.templates ? { analysisTemplates: (refs.templates.get(namespace) ?? new Map()) as ReferencedObjects['analysisTemplates'] } : {}),
      ...(refs.seen.clusterTemplates ? { clusterAnalysisTemplates: refs.clusterTemplates as ReferencedObjects['clusterAnalysisTemplates'] } : {}),
    };
    if (Object.keys(referenced).length > 0) {
      for (const warning of checkRolloutReferences(defaulted.object as unknown as Rollout, referenced)) {
        const colon = warning.indexOf(': ');
        lines.push({
          file: doc.file,
          doc: doc.doc,
          path: colon > 0 ? warning.slice(0, colon) : '<root>',
          severity: 'warning',
          message: colon > 0 ? warning.slice(colon + 2) : warning,
        });
      }
    }
  }
  return lines;
}
