// Metric providers: which ones a metric sets, and the checks on a provider's own fields that
// would otherwise only fail as measurement Errors while a rollout is in progress.
import { type FieldError, forbiddenError, invalidError, requiredError } from '../api/index.ts';
import { checkCondition } from './condition-syntax.ts';
import { checkDurationString } from './durations.ts';
import { child } from './field-path.ts';
import { checkNonNegative } from './numbers.ts';
import { validatePodTemplate } from './pod-template.ts';
import { hasPlaceholder } from './placeholders.ts';
import { type Obj, isSet, nonEmpty, obj, str } from './read.ts';

export const PROVIDERS = [
  'prometheus',
  'kayenta',
  'web',
  'datadog',
  'wavefront',
  'newRelic',
  'job',
  'cloudWatch',
  'graphite',
  'influxdb',
  'skywalking',
  'plugin',
] as const;

const BODY_METHODS = ['POST', 'PUT'];

/** The providers a metric sets; each entry of `plugin` counts as one (`plugin:NAME`). */
export function providersOf(provider: Obj): string[] {
  const found: string[] = [];
  for (const name of PROVIDERS) {
    if (name === 'plugin') {
      for (const pluginName of Object.keys(obj(provider['plugin']) ?? {})) found.push(`plugin:${pluginName}`);
    } else if (isSet(provider[name])) {
      found.push(name);
    }
  }
  return found;
}

export function validateProvider(errors: FieldError[], provider: Obj, path: string): void {
  const prometheus = obj(provider['prometheus']);
  if (prometheus !== undefined) validatePrometheus(errors, prometheus, child(path, 'prometheus'));
  const web = obj(provider['web']);
  if (web !== undefined) validateWeb(errors, web, child(path, 'web'));
  const job = obj(provider['job']);
  if (job !== undefined) {
    const templatePath = child(child(child(path, 'job'), 'spec'), 'template');
    validatePodTemplate(errors, obj(job['spec'])?.['template'], templatePath, {
      restartPolicies: ['Never', 'OnFailure'],
      restartPolicyRequired: true,
      placeholders: true,
    });
  }
  const datadog = obj(provider['datadog']);
  if (datadog !== undefined) validateDatadog(errors, datadog, child(path, 'datadog'));
  const newRelic = obj(provider['newRelic']);
  if (newRelic !== undefined) {
    if (newRelic['query'] === '') errors.push(requiredError(child(child(path, 'newRelic'), 'query'), 'the NRQL query to run'));
    checkNonNegative(errors, newRelic['timeout'], child(child(path, 'newRelic'), 'timeout'));
  }
  const skywalking = obj(provider['skywalking']);
  if (skywalking !== undefined) checkDurationString(errors, skywalking['interval'], child(child(path, 'skywalking'), 'interval'));
  const cloudWatch = obj(provider['cloudWatch']);
  if (cloudWatch !== undefined) {
    const cloudWatchPath = child(path, 'cloudWatch');
    checkDurationString(errors, cloudWatch['interval'], child(cloudWatchPath, 'interval'));
    if (Array.isArray(cloudWatch['metricDataQueries']) && cloudWatch['metricDataQueries'].length === 0) {
      errors.push(requiredError(child(cloudWatchPath, 'metricDataQueries'), 'at least one GetMetricData query'));
    }
  }
}

function validatePrometheus(errors: FieldError[], prometheus: Obj, path: string): void {
  checkNonNegative(errors, prometheus['timeout'], child(path, 'timeout'));
  checkUrl(errors, prometheus['address'], child(path, 'address'), 'http://prometheus.monitoring:9090');
  const rangeQuery = obj(prometheus['rangeQuery']);
  if (rangeQuery !== undefined) {
    const rangePath = child(path, 'rangeQuery');
    checkCondition(errors, rangeQuery['start'], child(rangePath, 'start'));
    checkCondition(errors, rangeQuery['end'], child(rangePath, 'end'));
    checkDurationString(errors, rangeQuery['step'], child(rangePath, 'step'));
  }
}

function validateWeb(errors: FieldError[], web: Obj, path: string): void {
  if (web['url'] === '') errors.push(requiredError(child(path, 'url'), 'the URL to call, e.g. http://my-service.my-namespace/health'));
  checkUrl(errors, web['url'], child(path, 'url'), 'http://my-service.my-namespace/health');
  checkNonNegative(errors, web['timeoutSeconds'], child(path, 'timeoutSeconds'));
  const hasBody = nonEmpty(web['body']) !== undefined;
  const hasJsonBody = isSet(web['jsonBody']);
  if (hasBody && hasJsonBody) {
    errors.push(forbiddenError(child(path, 'jsonBody'), 'set either body or jsonBody, not both'));
  }
  const method = str(web['method']) ?? 'GET';
  if (!BODY_METHODS.includes(method)) {
    const field = hasJsonBody ? 'jsonBody' : hasBody ? 'body' : undefined;
    if (field !== undefined) {
      errors.push(forbiddenError(child(path, field), `a request body needs method POST or PUT (method is ${method === '' ? 'GET' : method})`));
    }
  }
}

function validateDatadog(errors: FieldError[], datadog: Obj, path: string): void {
  checkDurationString(errors, datadog['interval'], child(path, 'interval'));
  checkDurationString(errors, datadog['requestTimeout'], child(path, 'requestTimeout'));
  const hasQuery = nonEmpty(datadog['query']) !== undefined;
  const hasQueries = Object.keys(obj(datadog['queries']) ?? {}).length > 0;
  if (hasQuery && hasQueries) {
    errors.push(forbiddenError(child(path, 'queries'), 'set either query or queries (with a formula), not both'));
  } else if (!hasQuery && !hasQueries) {
    errors.push(requiredError(child(path, 'query'), 'set query, or queries with a formula'));
  }
  if (nonEmpty(datadog['formula']) !== undefined && !hasQueries) {
    errors.push(forbiddenError(child(path, 'formula'), 'a formula combines named queries; set queries as well'));
  }
}

/** An absolute http(s) URL, unless it holds an `{{args.NAME}}` placeholder. */
function checkUrl(errors: FieldError[], value: unknown, path: string, example: string): void {
  if (typeof value !== 'string' || value === '' || hasPlaceholder(value)) return;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    errors.push(invalidError(path, value, `must be an absolute http or https URL, e.g. ${example}`));
  }
}
