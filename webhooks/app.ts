// The webhook's HTTP layer: routes, body limits, JSON parsing, health, readiness and metrics. It
// knows nothing about Rollouts: a request body goes to functions/admission and the answer comes
// back as a status code and a JSON body.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RolloutPolicy } from '../functions/api/index.ts';
import {
  type AdmissionAnswer,
  type AdmissionMode,
  admit,
  admitManaged,
  managedGuardLookup,
  type OwnerLookup,
  type OwnerRef,
  requestNamespace,
} from '../functions/admission/index.ts';
import type { Labels } from '../functions/selectors/index.ts';
import type { Logger } from '../controller/log/logger.ts';
import { silentLogger } from '../controller/log/logger.ts';
import { WebhookMetrics } from './metrics.ts';

/** Kubernetes caps an object at about 1.5 MiB in etcd; an UPDATE review carries two of them. */
export const DEFAULT_BODY_LIMIT_BYTES = 3 * 1024 * 1024;

export const ENDPOINTS = {
  validate: '/validate',
  mutate: '/mutate',
  managed: '/mutate-managed',
} as const;

export interface Readiness {
  ready: boolean;
  /** What is not ready yet, for /readyz. */
  waitingFor: string[];
}

export interface WebhookDependencies {
  policies: () => readonly RolloutPolicy[];
  /** Labels of a namespace; undefined when unknown. */
  namespaceLabels: (namespace: string) => Promise<Labels | undefined>;
  /** Whether the Rollout exists, and its spec. */
  lookupRollout: (ref: OwnerRef) => Promise<OwnerLookup>;
  readiness: () => Readiness;
  metrics?: WebhookMetrics;
  logger?: Logger;
  bodyLimitBytes?: number;
  /** For latency measurements (defaults to performance.now). */
  now?: () => number;
  /** Sees every parsed request body before it is admitted (audit logging, tests). Must not throw. */
  observe?: (endpoint: string, review: unknown) => void;
}

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(JSON.stringify(body));
}

function status(res: Response, code: number, reason: string, message: string): void {
  send(res, code, { apiVersion: 'v1', kind: 'Status', status: 'Failure', code, reason, message });
}

export function createWebhookApp(deps: WebhookDependencies): express.Express {
  const log = (deps.logger ?? silentLogger).child({ component: 'webhook' });
  const metrics = deps.metrics ?? new WebhookMetrics();
  const now = deps.now ?? (() => performance.now());
  const limit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const body = express.raw({ type: () => true, limit, inflate: true });

  const parseJson = (req: Request): { ok: true; value: unknown } | { ok: false; message: string } => {
    const raw = req.body as unknown;
    if (!Buffer.isBuffer(raw) || raw.length === 0) return { ok: false, message: 'the request has no body; POST an admission.k8s.io/v1 AdmissionReview as JSON' };
    try {
      return { ok: true, value: JSON.parse(raw.toString('utf8')) };
    } catch (error) {
      return { ok: false, message: `the body is not JSON (${(error as Error).message}); POST an admission.k8s.io/v1 AdmissionReview as JSON` };
    }
  };

  const answer = (res: Response, endpoint: string, started: number, result: AdmissionAnswer, review: unknown): void => {
    metrics.observeRequest(endpoint, result.outcome, (now() - started) / 1000);
    if (result.httpStatus >= 500) log.error('admission failed', { endpoint, message: (result.body as { message?: string }).message });
    else if (result.outcome === 'bad-request') log.warn('malformed admission request', { endpoint, message: (result.body as { message?: string }).message });
    else if (result.outcome === 'denied') log.info('admission denied', { endpoint, ...requestFields(review), message: denialMessage(result) });
    send(res, result.httpStatus, result.body);
  };

  const admission = (mode: AdmissionMode, endpoint: string) => async (req: Request, res: Response) => {
    const started = now();
    const parsed = parseJson(req);
    if (!parsed.ok) {
      metrics.observeRequest(endpoint, 'bad-request', (now() - started) / 1000);
      log.warn('malformed admission request', { endpoint, message: parsed.message });
      return status(res, 400, 'BadRequest', parsed.message);
    }
    deps.observe?.(endpoint, parsed.value);
    const namespace = requestNamespace(parsed.value);
    const namespaceLabels = namespace === undefined ? undefined : await deps.namespaceLabels(namespace);
    const result = admit(parsed.value, { mode, policies: deps.policies(), ...(namespaceLabels === undefined ? {} : { namespaceLabels }) });
    answer(res, endpoint, started, result, parsed.value);
  };

  app.post(ENDPOINTS.validate, body, admission('validate', ENDPOINTS.validate));
  app.post(ENDPOINTS.mutate, body, admission('mutate', ENDPOINTS.mutate));
  app.post(ENDPOINTS.managed, body, async (req, res) => {
    const started = now();
    const parsed = parseJson(req);
    if (!parsed.ok) {
      metrics.observeRequest(ENDPOINTS.managed, 'bad-request', (now() - started) / 1000);
      return status(res, 400, 'BadRequest', parsed.message);
    }
    deps.observe?.(ENDPOINTS.managed, parsed.value);
    const ref = managedGuardLookup(parsed.value);
    const owner = ref === undefined ? undefined : await deps.lookupRollout(ref);
    answer(res, ENDPOINTS.managed, started, admitManaged(parsed.value, owner), parsed.value);
  });

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  app.get('/readyz', (_req, res) => {
    const readiness = deps.readiness();
    if (readiness.ready) res.type('text/plain').send('ok\n');
    else res.status(503).type('text/plain').send(`not ready: waiting for ${readiness.waitingFor.join(', ')}\n`);
  });
  app.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(metrics.render());
  });

  for (const path of Object.values(ENDPOINTS)) {
    app.all(path, (req, res) => {
      res.setHeader('Allow', 'POST');
      status(res, 405, 'MethodNotAllowed', `${req.method} ${path}: admission endpoints take POST`);
    });
  }
  app.use((req, res) => {
    status(res, 404, 'NotFound', `no such endpoint: ${req.method} ${req.path}; admission endpoints are ${Object.values(ENDPOINTS).join(', ')}`);
  });

  const known = new Set<string>(Object.values(ENDPOINTS));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const endpoint = known.has(req.path) ? req.path : 'other';
    const e = error as { status?: number; statusCode?: number; type?: string; message?: string };
    const code = e.status ?? e.statusCode ?? 500;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e.type === 'entity.too.large') {
      metrics.observeRequest(endpoint, 'too-large', 0);
      return status(res, 413, 'RequestEntityTooLarge', `the body is larger than the limit of ${limit} bytes`);
    }
    if (code >= 400 && code < 500) {
      metrics.observeRequest(endpoint, 'bad-request', 0);
      return status(res, code, 'BadRequest', `cannot read the request body: ${e.message ?? 'malformed request'}`);
    }
    log.error('unexpected error while handling a request', { path: req.path, error });
    metrics.observeRequest(endpoint, 'error', 0);
    return status(res, 500, 'InternalError', 'internal error in the webhook; see its log');
  });

  return app;
}

function requestFields(review: unknown): Record<string, unknown> {
  const request = (review as { request?: Record<string, unknown> } | undefined)?.request ?? {};
  const kind = request['kind'] as { kind?: unknown } | undefined;
  return { uid: request['uid'], kind: kind?.kind, namespace: request['namespace'], name: request['name'], operation: request['operation'], dryRun: request['dryRun'] };
}

function denialMessage(result: AdmissionAnswer): unknown {
  return (result.body as { response?: { status?: { message?: string } } }).response?.status?.message;
}
