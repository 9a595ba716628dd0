// Problems with the objects a Rollout refers to (reference §5.2). They are WARNINGS, never
// errors: in a GitOps sync the Services, Ingresses and templates may arrive after the Rollout,
// and the controller waits for them. The caller looks the objects up; a collection it leaves out
// is not checked at all, a name missing from a collection it gives is reported as not found.
import {
  type AnalysisTemplate,
  type ClusterAnalysisTemplate,
  type Experiment,
  MANAGED_BY_ROLLOUTS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  type Rollout,
} from '../api/index.ts';
import { labelsOf } from '../selectors/index.ts';
import { child, index } from './field-path.ts';
import { compileMetricNamePattern } from './metric-name-patterns.ts';
import { hasPlaceholder } from './placeholders.ts';
import { type Obj, isSet, list, nonEmpty, obj, str, stringEntries } from './read.ts';

/** `PATH: what is wrong with the referenced object`. */
export type Warning = string;

/** The part of a core/v1 Service the checks read. */
export interface ServiceView {
  metadata?: { annotations?: Record<string, string> | undefined } | undefined;
  spec?: { selector?: Record<string, string> | undefined } | undefined;
}

interface IngressBackendView {
  service?: { name?: string | undefined } | undefined;
  /** networking.k8s.io/v1beta1 */
  serviceName?: string | undefined;
}

/** The part of a networking.k8s.io Ingress the checks read. */
export interface IngressView {
  spec?:
    | {
        defaultBackend?: IngressBackendView | undefined;
        backend?: IngressBackendView | undefined;
        rules?: Array<{ http?: { paths?: Array<{ backend?: IngressBackendView | undefined }> | undefined } | undefined }> | undefined;
      }
    | undefined;
}

/** Objects by name, as a Map or a plain record. */
export type Lookup<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

export interface ReferencedObjects {
  /** Services in the Rollout's namespace. */
  services?: Lookup<ServiceView>;
  /** Ingresses in the Rollout's namespace. */
  ingresses?: Lookup<IngressView>;
  /** AnalysisTemplates in the Rollout's namespace. */
  analysisTemplates?: Lookup<AnalysisTemplate>;
  clusterAnalysisTemplates?: Lookup<ClusterAnalysisTemplate>;
  /** Service name → names of the Rollouts that refer to it (this Rollout's own name is ignored). */
  rolloutsUsingService?: Lookup<readonly string[]>;
}

function lookup<T>(objects: Lookup<T>, name: string): T | undefined {
  if (objects instanceof Map) return objects.get(name);
  const record = objects as Readonly<Record<string, T>>;
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

export function checkRolloutReferences(rollout: Rollout, refs: ReferencedObjects): Warning[] {
  const warnings: Warning[] = [];
  const ro = obj(rollout);
  const spec = obj(ro?.['spec']);
  if (spec === undefined) return warnings;
  const context: Context = {
    name: str(obj(ro?.['metadata'])?.['name']) ?? '',
    namespace: str(obj(ro?.['metadata'])?.['namespace']) ?? 'default',
    templateLabels: isSet(spec['workloadRef']) ? undefined : labelsOf(obj(spec['template'])?.['metadata']),
    refs,
    warnings,
  };
  const strategy = obj(spec['strategy']);
  const blueGreen = obj(strategy?.['blueGreen']);
  const canary = obj(strategy?.['canary']);
  if (blueGreen !== undefined) {
    const path = 'spec.strategy.blueGreen';
    checkService(context, blueGreen['activeService'], child(path, 'activeService'), true);
    checkService(context, blueGreen['previewService'], child(path, 'previewService'), true);
    checkAnalysis(context, blueGreen['prePromotionAnalysis'], child(path, 'prePromotionAnalysis'), false);
    checkAnalysis(context, blueGreen['postPromotionAnalysis'], child(path, 'postPromotionAnalysis'), false);
  }
  if (canary !== undefined) checkCanary(context, canary, 'spec.strategy.canary');
  return warnings;
}

/**
 * An Experiment's analyses: each named template must exist (a missing one makes that analysis
 * Error), and the arguments the templates need must be given.
 */
export function checkExperimentReferences(
  experiment: Experiment,
  refs: Pick<ReferencedObjects, 'analysisTemplates' | 'clusterAnalysisTemplates'>,
): Warning[] {
  const warnings: Warning[] = [];
  const e = obj(experiment);
  const context: Context = {
    name: str(obj(e?.['metadata'])?.['name']) ?? '',
    namespace: str(obj(e?.['metadata'])?.['namespace']) ?? 'default',
    templateLabels: undefined,
    refs,
    warnings,
  };
  list(obj(e?.['spec'])?.['analyses']).forEach((analysis, i) => {
    const a = obj(analysis);
    if (a === undefined) return;
    const single = { templates: [{ templateName: a['templateName'], clusterScope: a['clusterScope'] }], args: a['args'] };
    checkAnalysis(context, single, index('spec.analyses', i), true, 'templates[0]');
  });
  return warnings;
}

interface Context {
  name: string;
  namespace: string;
  /** Undefined when the template comes from a workloadRef and is not known here. */
  templateLabels: Record<string, string> | undefined;
  refs: ReferencedObjects;
  warnings: Warning[];
}

function checkCanary(context: Context, canary: Obj, path: string): void {
  checkService(context, canary['stableService'], child(path, 'stableService'), true);
  checkService(context, canary['canaryService'], child(path, 'canaryService'), true);
  const pingPong = obj(canary['pingPong']);
  checkService(context, pingPong?.['pingService'], child(child(path, 'pingPong'), 'pingService'), true);
  checkService(context, pingPong?.['pongService'], child(child(path, 'pingPong'), 'pongService'), true);

  const routingPath = child(path, 'trafficRouting');
  const trafficRouting = obj(canary['trafficRouting']);
  const alb = obj(trafficRouting?.['alb']);
  const smi = obj(trafficRouting?.['smi']);
  checkService(context, alb?.['rootService'], child(child(routingPath, 'alb'), 'rootService'), false);
  checkService(context, smi?.['rootService'], child(child(routingPath, 'smi'), 'rootService'), false);

  const stableService = nonEmpty(canary['stableService']);
  const nginx = obj(trafficRouting?.['nginx']);
  if (nginx !== undefined) {
    const nginxPath = child(routingPath, 'nginx');
    checkIngress(context, nginx['stableIngress'], child(nginxPath, 'stableIngress'), stableService, 'stableService');
    list(nginx['stableIngresses']).forEach((name, i) =>
      checkIngress(context, name, index(child(nginxPath, 'stableIngresses'), i), stableService, 'stableService'),
    );
  }
  if (alb !== undefined) {
    const albPath = child(routingPath, 'alb');
    const rootService = nonEmpty(alb['rootService']);
    const backend = rootService ?? stableService;
    const backendField = rootService !== undefined ? 'trafficRouting.alb.rootService' : 'stableService';
    checkIngress(context, alb['ingress'], child(albPath, 'ingress'), backend, backendField);
    list(alb['ingresses']).forEach((name, i) => checkIngress(context, name, index(child(albPath, 'ingresses'), i), backend, backendField));
  }

  checkAnalysis(context, canary['analysis'], child(path, 'analysis'), true);
  list(canary['steps']).forEach((step, i) => {
    const s = obj(step);
    const stepPath = index(child(path, 'steps'), i);
    checkAnalysis(context, s?.['analysis'], child(stepPath, 'analysis'), false);
    list(obj(s?.['experiment'])?.['analyses']).forEach((analysis, j) => {
      const a = obj(analysis);
      if (a === undefined) return;
      // An experiment analysis names one template; check it like a one-template analysis.
      const single = { templates: [{ templateName: a['templateName'], clusterScope: a['clusterScope'] }], args: a['args'] };
      checkAnalysis(context, single, index(child(child(stepPath, 'experiment'), 'analyses'), j), true, 'templates[0]');
    });
  });
}

function checkService(context: Context, name: unknown, path: string, selectsRolloutPods: boolean): void {
  const serviceName = nonEmpty(name);
  if (serviceName === undefined) return;
  const { refs } = context;
  if (refs.services !== undefined) {
    const service = lookup(refs.services, serviceName);
    if (service === undefined) {
      context.warnings.push(`${path}: Service "${serviceName}" not found in namespace "${context.namespace}"; the Rollout waits until it exists`);
    } else {
      const managedBy = service.metadata?.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION];
      if (managedBy !== undefined && managedBy !== '' && managedBy !== context.name) {
        context.warnings.push(
          `${path}: Service "${serviceName}" is managed by another Rollout, "${managedBy}" (annotation ${MANAGED_BY_ROLLOUTS_ANNOTATION}); two Rollouts would fight over its selector`,
        );
      }
      if (selectsRolloutPods && context.templateLabels !== undefined) {
        for (const [key, value] of stringEntries(service.spec?.selector)) {
          if (key === POD_TEMPLATE_HASH_LABEL) continue;
          const actual = context.templateLabels[key];
          if (actual !== value) {
            const has = actual === undefined ? 'has no such label' : `has ${key}=${actual}`;
            context.warnings.push(
              `${path}: Service "${serviceName}" selects ${key}=${value}, but spec.template.metadata.labels ${has}; the Service would never reach the Rollout's pods`,
            );
          }
        }
      }
    }
  }
  if (refs.rolloutsUsingService !== undefined) {
    const others = (lookup(refs.rolloutsUsingService, serviceName) ?? []).filter((other) => other !== context.name);
    if (others.length > 0) {
      context.warnings.push(
        `${path}: Service "${serviceName}" is also used by ${others.length === 1 ? 'Rollout' : 'Rollouts'} ${others.map((o) => `"${o}"`).join(', ')}; each Rollout needs its own Services`,
      );
    }
  }
}

function checkIngress(context: Context, name: unknown, path: string, backend: string | undefined, backendField: string): void {
  const ingressName = nonEmpty(name);
  if (ingressName === undefined || context.refs.ingresses === undefined) return;
  const ingress = lookup(context.refs.ingresses, ingressName);
  if (ingress === undefined) {
    context.warnings.push(`${path}: Ingress "${ingressName}" not found in namespace "${context.namespace}"; the Rollout waits until it exists`);
    return;
  }
  if (backend !== undefined && !ingressBackends(ingress).includes(backend)) {
    context.warnings.push(
      `${path}: Ingress "${ingressName}" has no rule sending traffic to Service "${backend}" (${backendField}); point one of its backends at it`,
    );
  }
}

function ingressBackends(ingress: IngressView): string[] {
  const names: string[] = [];
  const add = (backend: IngressBackendView | undefined) => {
    const name = backend?.service?.name ?? backend?.serviceName;
    if (typeof name === 'string') names.push(name);
  };
  add(ingress.spec?.defaultBackend);
  add(ingress.spec?.backend);
  for (const rule of list(ingress.spec?.rules)) {
    for (const p of list(obj(obj(rule)?.['http'])?.['paths'])) add(obj(p)?.['backend'] as IngressBackendView | undefined);
  }
  return names;
}

interface FlatMetric {
  name: string;
  template: string;
  metric: Obj;
}

interface FlatArg {
  name: string;
  template: string;
  value: unknown;
  hasSource: boolean;
}

/**
 * A RolloutAnalysis (or an experiment analysis) must be constructible into a run: templates
 * exist, metric names unique across them, arguments agree and are all supplied, its dryRun and
 * measurementRetention patterns match a metric, and (unless it runs in the background) every
 * metric ends.
 */
function checkAnalysis(context: Context, analysis: unknown, path: string, background: boolean, templatesLabel = 'templates'): void {
  const a = obj(analysis);
  if (a === undefined) return;
  const metrics: FlatMetric[] = [];
  const args: FlatArg[] = [];
  let complete = true;
  const visited = new Set<string>();

  const resolve = (ref: Obj, refPath: string, includedBy?: string): void => {
    const name = nonEmpty(ref['templateName']);
    if (name === undefined) return;
    const cluster = ref['clusterScope'] === true;
    const kind = cluster ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
    const id = `${kind}/${name}`;
    if (visited.has(id)) return;
    visited.add(id);
    const objects = cluster ? context.refs.clusterAnalysisTemplates : context.refs.analysisTemplates;
    if (objects === undefined) {
      complete = false;
      return;
    }
    const template = lookup(objects as Lookup<AnalysisTemplate>, name);
    if (template === undefined) {
      const where = cluster ? '' : ` in namespace "${context.namespace}"`;
      const via = includedBy === undefined ? '' : ` (included by ${includedBy})`;
      context.warnings.push(`${refPath}: ${kind} "${name}"${via} not found${where}; the analysis cannot start until it exists`);
      complete = false;
      return;
    }
    const label = `${kind} "${name}"`;
    const spec = obj(obj(template)?.['spec']);
    for (const metric of list(spec?.['metrics'])) {
      const m = obj(metric);
      const metricName = str(m?.['name']);
      if (m !== undefined && metricName !== undefined) metrics.push({ name: metricName, template: label, metric: m });
    }
    for (const arg of list(spec?.['args'])) {
      const g = obj(arg);
      const argName = str(g?.['name']);
      if (g !== undefined && argName !== undefined) {
        args.push({ name: argName, template: label, value: g['value'], hasSource: isSet(g['value']) || isSet(g['valueFrom']) });
      }
    }
    list(spec?.['templates']).forEach((nested) => {
      const n = obj(nested);
      if (n !== undefined) resolve(n, refPath, label);
    });
  };

  list(a['templates']).forEach((ref, i) => {
    const r = obj(ref);
    if (r === undefined) return;
    const refPath = templatesLabel === 'templates' ? child(index(child(path, 'templates'), i), 'templateName') : child(path, 'templateName');
    resolve(r, refPath);
  });
  if (!complete) return;

  const byName = new Map<string, FlatMetric>();
  for (const metric of metrics) {
    const first = byName.get(metric.name);
    if (first !== undefined && first.template !== metric.template) {
      context.warnings.push(`${path}: metric "${metric.name}" is defined by both ${first.template} and ${metric.template}; metric names must be unique within a run`);
    } else if (first === undefined) {
      byName.set(metric.name, metric);
    }
  }

  const given = new Set(
    list(a['args'])
      .map((arg) => obj(arg))
      .filter((arg): arg is Obj => arg !== undefined && (isSet(arg['value']) || isSet(arg['valueFrom'])))
      .map((arg) => str(arg['name']) ?? ''),
  );
  const argValues = new Map<string, FlatArg>();
  const reportedConflicts = new Set<string>();
  for (const arg of args) {
    const first = argValues.get(arg.name);
    if (first === undefined) {
      argValues.set(arg.name, arg);
      continue;
    }
    if (first.value !== undefined && arg.value !== undefined && first.value !== arg.value && !given.has(arg.name) && !reportedConflicts.has(arg.name)) {
      reportedConflicts.add(arg.name);
      context.warnings.push(
        `${path}: argument "${arg.name}" has different values in ${first.template} (${JSON.stringify(first.value)}) and ${arg.template} (${JSON.stringify(arg.value)}); pass it in args to decide`,
      );
    }
    if (arg.hasSource && !first.hasSource) argValues.set(arg.name, arg);
  }
  for (const arg of argValues.values()) {
    if (!arg.hasSource && !given.has(arg.name)) {
      context.warnings.push(`${child(path, 'args')}: ${arg.template} needs argument "${arg.name}", which is not given here`);
    }
  }

  const metricNames = [...byName.keys()];
  for (const kind of ['dryRun', 'measurementRetention'] as const) {
    list(a[kind]).forEach((entry, i) => {
      const pattern = str(obj(entry)?.['metricName']);
      if (pattern === undefined || pattern === '') return;
      const compiled = compileMetricNamePattern(pattern);
      if (compiled.ok && !metricNames.some((name) => compiled.regex.test(name))) {
        context.warnings.push(
          `${child(index(child(path, kind), i), 'metricName')}: "${pattern}" matches none of the templates' metrics (${metricNames.map((n) => `"${n}"`).join(', ')})`,
        );
      }
    });
  }

  if (!background) {
    for (const { name, template, metric } of byName.values()) {
      const count = metric['count'];
      const countUnknown = typeof count === 'string' && hasPlaceholder(count);
      const unbounded = nonEmpty(metric['interval']) !== undefined && !countUnknown && (count === undefined || Number(count) === 0);
      if (unbounded) {
        context.warnings.push(
          `${path}: ${template} has metric "${name}" with an interval but no count, so it would run until terminated and this analysis would never finish; set count`,
        );
      }
    }
  }
}
