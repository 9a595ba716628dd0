// spec.strategy.canary.steps[]: one action per step, and the rules of each action.
import {
  type FieldError,
  forbiddenError,
  invalidError,
  notSupportedError,
  requiredError,
} from '../api/index.ts';
import { validateLabelSelector } from '../selectors/index.ts';
import { Duration } from '../values/duration.ts';
import { ValueParseError } from '../values/value-parse-error.ts';
import { child, index, key } from './field-path.ts';
import { validateMetadataMaps } from './labels.ts';
import { validateMetricNamePatterns } from './metric-name-patterns.ts';
import { checkBetween, checkNonNegative } from './numbers.ts';
import { type Obj, isSet, list, nonEmpty, obj, str } from './read.ts';
import { validateRolloutAnalysis, validateRolloutArgs } from './rollout-analysis.ts';
import { checkUniqueName } from './unique-names.ts';
import { type Router, describeRouters } from './traffic-routing.ts';
import { checkDurationString } from './durations.ts';

export const STEP_ACTIONS = [
  'setWeight',
  'pause',
  'setCanaryScale',
  'analysis',
  'experiment',
  'setHeaderRoute',
  'setMirrorRoute',
  'plugin',
] as const;

/**
 * Actions that each decide when the step is complete, so a step sets at most one of them (as
 * Argo does). The others adjust scale or routes and may share a step with one of these, e.g.
 * `{setCanaryScale: {replicas: 1}, setHeaderRoute: {...}, pause: {duration: 15}}`.
 */
export const EXCLUSIVE_STEP_ACTIONS = ['setWeight', 'pause', 'analysis', 'experiment'] as const;

const HEADER_ROUTERS: readonly Router[] = ['istio', 'alb', 'apisix', 'plugins'];
const MIRROR_ROUTERS: readonly Router[] = ['istio', 'plugins'];
const EXPERIMENT_WEIGHT_ROUTERS: readonly Router[] = ['alb', 'smi', 'istio', 'plugins'];
const SPEC_REFS = ['canary', 'stable'] as const;

export interface StepContext {
  /** `spec.strategy.canary` */
  canaryPath: string;
  /** The trafficRouting block, if any. */
  trafficRouting: Obj | undefined;
  routers: ReadonlySet<Router>;
  /** The largest setWeight: trafficRouting.maxTrafficWeight or 100. */
  maxWeight: number;
}

export function validateCanarySteps(errors: FieldError[], steps: unknown, context: StepContext): void {
  const stepsPath = child(context.canaryPath, 'steps');
  const routeSteps: string[] = [];
  list(steps).forEach((step, i) => {
    const s = obj(step);
    if (s === undefined) return;
    const stepPath = index(stepsPath, i);
    const actions = STEP_ACTIONS.filter((action) => isSet(s[action]));
    const exclusive = EXCLUSIVE_STEP_ACTIONS.filter((action) => isSet(s[action]));
    if (actions.length === 0) {
      errors.push(invalidError(stepPath, s, `a step must set one of ${STEP_ACTIONS.join(', ')} (found none)`));
    } else if (exclusive.length > 1) {
      errors.push(
        invalidError(
          stepPath,
          s,
          `a step must set exactly one of ${EXCLUSIVE_STEP_ACTIONS.join(', ')} (found ${exclusive.length}: ${exclusive.join(', ')}); ` +
            'setCanaryScale, setHeaderRoute, setMirrorRoute and plugin may accompany it',
        ),
      );
    }
    if (isSet(s['setWeight'])) {
      const why = context.maxWeight === 100 ? '' : `(${child(child(context.canaryPath, 'trafficRouting'), 'maxTrafficWeight')})`;
      checkBetween(errors, s['setWeight'], child(stepPath, 'setWeight'), 0, context.maxWeight, why);
    }
    validatePause(errors, s['pause'], child(stepPath, 'pause'));
    validateSetCanaryScale(errors, s['setCanaryScale'], child(stepPath, 'setCanaryScale'), context);
    validateRolloutAnalysis(errors, s['analysis'], child(stepPath, 'analysis'));
    validateExperimentStep(errors, s['experiment'], child(stepPath, 'experiment'), context);
    if (validateSetHeaderRoute(errors, s['setHeaderRoute'], child(stepPath, 'setHeaderRoute'), context)) {
      routeSteps.push(child(stepPath, 'setHeaderRoute'));
    }
    if (validateSetMirrorRoute(errors, s['setMirrorRoute'], child(stepPath, 'setMirrorRoute'), context)) {
      routeSteps.push(child(stepPath, 'setMirrorRoute'));
    }
    const plugin = obj(s['plugin']);
    if (plugin !== undefined && plugin['name'] === '') {
      errors.push(requiredError(child(child(stepPath, 'plugin'), 'name'), 'the step plugin to run, as configured in argo-rollouts-config stepPlugins'));
    }
  });
  checkManagedRoutes(errors, steps, routeSteps, context);
}

function validatePause(errors: FieldError[], pause: unknown, path: string): void {
  const p = obj(pause);
  if (p === undefined || !isSet(p['duration'])) return;
  const duration = p['duration'];
  if (typeof duration !== 'number' && typeof duration !== 'string') return;
  try {
    Duration.parse(duration);
  } catch (e) {
    if (!(e instanceof ValueParseError)) throw e;
    errors.push(invalidError(child(path, 'duration'), duration, e.detail));
  }
}

function validateSetCanaryScale(errors: FieldError[], scale: unknown, path: string, context: StepContext): void {
  const s = obj(scale);
  if (s === undefined) return;
  if (context.trafficRouting === undefined) {
    errors.push(
      forbiddenError(
        path,
        `setCanaryScale needs ${child(context.canaryPath, 'trafficRouting')}: without a traffic router the canary's share of pods is its share of traffic`,
      ),
    );
  }
  const set = ['weight', 'replicas'].filter((k) => isSet(s[k]));
  if (s['matchTrafficWeight'] === true) set.push('matchTrafficWeight');
  if (set.length > 1) {
    errors.push(invalidError(path, s, `set only one of weight, replicas or matchTrafficWeight: true (found ${set.join(', ')})`));
  }
  checkBetween(errors, s['weight'], child(path, 'weight'), 0, 100);
  checkNonNegative(errors, s['replicas'], child(path, 'replicas'));
}

/** Returns whether the step sets a header route (for the managedRoutes check). */
function validateSetHeaderRoute(errors: FieldError[], route: unknown, path: string, context: StepContext): boolean {
  const r = obj(route);
  if (r === undefined) return false;
  if (!HEADER_ROUTERS.some((router) => context.routers.has(router))) {
    errors.push(
      forbiddenError(
        path,
        `setHeaderRoute needs traffic routing with istio, alb, apisix or a plugin (configured: ${describeRouters(context.routers)})`,
      ),
    );
  }
  const albOnly = context.routers.has('alb');
  list(r['match']).forEach((match, j) => {
    const m = obj(match);
    if (m === undefined) return;
    const matchPath = index(child(path, 'match'), j);
    if (m['headerName'] === '') errors.push(requiredError(child(matchPath, 'headerName'), 'the HTTP header to match'));
    const valuePath = child(matchPath, 'headerValue');
    if (albOnly) {
      const v = obj(m['headerValue']);
      if (v !== undefined && (nonEmpty(v['exact']) === undefined || nonEmpty(v['prefix']) !== undefined || nonEmpty(v['regex']) !== undefined)) {
        errors.push(invalidError(valuePath, v, 'the alb router matches header values exactly: set exact, and neither prefix nor regex'));
      }
    } else {
      checkStringMatch(errors, m['headerValue'], valuePath);
    }
  });
  return true;
}

function validateSetMirrorRoute(errors: FieldError[], route: unknown, path: string, context: StepContext): boolean {
  const r = obj(route);
  if (r === undefined) return false;
  if (!MIRROR_ROUTERS.some((router) => context.routers.has(router))) {
    errors.push(
      forbiddenError(path, `setMirrorRoute needs traffic routing with istio or a plugin (configured: ${describeRouters(context.routers)})`),
    );
  }
  list(r['match']).forEach((match, j) => {
    const m = obj(match);
    if (m === undefined) return;
    const matchPath = index(child(path, 'match'), j);
    if (isSet(m['method'])) checkStringMatch(errors, m['method'], child(matchPath, 'method'));
    if (isSet(m['path'])) checkStringMatch(errors, m['path'], child(matchPath, 'path'));
    const headers = obj(m['headers']);
    for (const [name, value] of Object.entries(headers ?? {})) checkStringMatch(errors, value, key(child(matchPath, 'headers'), name));
  });
  checkBetween(errors, r['percentage'], child(path, 'percentage'), 0, 100);
  return true;
}

/** A StringMatch sets exactly one of exact, prefix, regex (an empty string counts as unset). */
function checkStringMatch(errors: FieldError[], match: unknown, path: string): void {
  const m = obj(match);
  if (m === undefined) return;
  const set = ['exact', 'prefix', 'regex'].filter((k) => nonEmpty(m[k]) !== undefined);
  if (set.length !== 1) {
    errors.push(invalidError(path, m, `set exactly one of exact, prefix or regex (found ${set.length === 0 ? 'none' : set.join(', ')})`));
  }
}

function checkManagedRoutes(errors: FieldError[], steps: unknown, routeSteps: readonly string[], context: StepContext): void {
  if (context.trafficRouting === undefined || routeSteps.length === 0) return;
  const managedPath = child(child(context.canaryPath, 'trafficRouting'), 'managedRoutes');
  const managed = list(context.trafficRouting['managedRoutes'])
    .map((route) => str(obj(route)?.['name']))
    .filter((name): name is string => name !== undefined);
  if (managed.length === 0) {
    errors.push(
      requiredError(managedPath, `${routeSteps.join(' and ')} ${routeSteps.length === 1 ? 'sets a route' : 'set routes'}; list every route name here, in precedence order`),
    );
    return;
  }
  list(steps).forEach((step, i) => {
    const s = obj(step);
    if (s === undefined) return;
    for (const action of ['setHeaderRoute', 'setMirrorRoute']) {
      const route = obj(s[action]);
      if (route === undefined) continue;
      const namePath = child(child(index(child(context.canaryPath, 'steps'), i), action), 'name');
      const name = str(route['name']);
      if (name === undefined || name === '') {
        errors.push(requiredError(namePath, `one of the managed routes: ${managed.map((n) => `"${n}"`).join(', ')}`));
      } else if (!managed.includes(name)) {
        errors.push(invalidError(namePath, name, `is not listed in ${managedPath}; listed: ${managed.map((n) => `"${n}"`).join(', ')}`));
      }
    }
  });
}

function validateExperimentStep(errors: FieldError[], experiment: unknown, path: string, context: StepContext): void {
  const e = obj(experiment);
  if (e === undefined) return;
  const templatesPath = child(path, 'templates');
  const templates = list(e['templates']);
  if (Array.isArray(e['templates']) && templates.length === 0) {
    errors.push(requiredError(templatesPath, 'at least one template (a ReplicaSet to run, e.g. {name: canary, specRef: canary})'));
  }
  const names = new Map<string, string>();
  templates.forEach((template, j) => {
    const t = obj(template);
    if (t === undefined) return;
    const tPath = index(templatesPath, j);
    checkUniqueName(errors, t['name'], child(tPath, 'name'), names, tPath, 'template');
    const specRef = str(t['specRef']);
    if (specRef !== undefined && !(SPEC_REFS as readonly string[]).includes(specRef)) {
      errors.push(notSupportedError(child(tPath, 'specRef'), specRef, SPEC_REFS));
    }
    checkNonNegative(errors, t['replicas'], child(tPath, 'replicas'));
    validateMetadataMaps(errors, t['metadata'], child(tPath, 'metadata'));
    validateLabelSelector(errors, t['selector'], child(tPath, 'selector'));
    const weightPath = child(tPath, 'weight');
    if (isSet(t['weight'])) {
      if (context.trafficRouting === undefined) {
        errors.push(forbiddenError(weightPath, `a template weight needs ${child(context.canaryPath, 'trafficRouting')}`));
      } else if (!EXPERIMENT_WEIGHT_ROUTERS.some((router) => context.routers.has(router))) {
        errors.push(
          forbiddenError(weightPath, `template weights work with the alb, smi, istio and plugin traffic routers only (configured: ${describeRouters(context.routers)})`),
        );
      }
      checkBetween(errors, t['weight'], weightPath, 0, 100);
    }
  });
  checkDurationString(errors, e['duration'], child(path, 'duration'));
  checkNonNegative(errors, e['scaleDownDelaySeconds'], child(path, 'scaleDownDelaySeconds'));
  const analysisNames = new Map<string, string>();
  list(e['analyses']).forEach((analysis, j) => {
    const a = obj(analysis);
    if (a === undefined) return;
    const aPath = index(child(path, 'analyses'), j);
    checkUniqueName(errors, a['name'], child(aPath, 'name'), analysisNames, aPath, 'analysis');
    if (a['templateName'] === '') errors.push(requiredError(child(aPath, 'templateName'), 'the AnalysisTemplate to run'));
    validateRolloutArgs(errors, a['args'], child(aPath, 'args'));
  });
  validateMetricNamePatterns(errors, e['dryRun'], child(path, 'dryRun'), 'dryRun');
  validateMetadataMaps(errors, e['analysisRunMetadata'], child(path, 'analysisRunMetadata'));
}
