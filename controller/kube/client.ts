// The controller's Kubernetes client: one KubeConfig, one rate limiter, one retrying HTTP layer,
// shared by client-node's typed APIs, KubernetesObjectApi, raw JSON requests and watches.
import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  RequestContext,
  ServerConfiguration,
  Watch,
  createConfiguration,
  setHeaderMiddleware,
  wrapHttpLibrary,
  type Configuration,
} from '@kubernetes/client-node';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { systemClock, type Clock } from './clock.ts';
import { loadKubeConfig, type KubeConfigSource } from './config.ts';
import { KubeApiError, parseRetryAfter, type ApiStatus } from './errors.ts';
import { ResilientHttpLibrary, type RequestObserver } from './http.ts';
import { TokenBucket } from './rate-limiter.ts';
import type { RetryPolicy } from './retry-policy.ts';

/**
 * Argo Rollouts' defaults (raised there from client-go's 5/10 in argo-rollouts PR #1679). A
 * resync pass reads from the cache, so API traffic is writes plus watch reconnects; 40/s
 * sustained with bursts of 80 lets a controller promote dozens of Rollouts at once without
 * becoming the noisiest client of a shared API server. See docs/operations.md.
 */
export const DEFAULT_QPS = 40;
export const DEFAULT_BURST = 80;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RawRequest {
  method: HttpMethod;
  /** Absolute API path, e.g. from resourcePath(). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialised as JSON. */
  body?: unknown;
  /** Content type for PATCH (default merge). */
  patchType?: PatchType;
  signal?: AbortSignal;
}

export interface WatchHandle {
  abort(): void;
}

export interface KubeClientOptions extends KubeConfigSource {
  /** Use this configuration instead of loading one. */
  kubeConfig?: KubeConfig;
  /** --qps; <= 0 disables client-side rate limiting. */
  qps?: number;
  /** --burst */
  burst?: number;
  retry?: Partial<RetryPolicy>;
  userAgent?: string;
  logger?: Logger;
  clock?: Clock;
  /** Called after every attempt of every request (for request metrics). */
  observe?: RequestObserver;
}

type ApiConstructor<T> = new (configuration: Configuration) => T;

/** KubernetesObjectApi bound to our configuration, with the context's default namespace. */
class ObjectApi extends KubernetesObjectApi {
  constructor(configuration: Configuration, kc: KubeConfig) {
    super(configuration);
    this.setDefaultNamespace(kc);
  }
}

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly limiter: TokenBucket;
  readonly configuration: Configuration;
  readonly http: ResilientHttpLibrary;
  readonly server: string;
  readonly logger: Logger;
  readonly #apis = new Map<unknown, unknown>();
  readonly #watch: Watch;
  readonly #userAgent: string;
  readonly #options: KubeClientOptions;

  constructor(options: KubeClientOptions & { limiter?: TokenBucket } = {}) {
    this.#options = options;
    this.kubeConfig = options.kubeConfig ?? loadKubeConfig(options).kubeConfig;
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
    this.logger = options.logger ?? silentLogger;
    const clock = options.clock ?? systemClock;
    this.limiter = options.limiter ?? new TokenBucket({ qps: options.qps ?? DEFAULT_QPS, burst: options.burst ?? DEFAULT_BURST, clock });
    this.http = new ResilientHttpLibrary({
      limiter: this.limiter,
      ...(options.retry ? { retry: options.retry } : {}),
      clock,
      logger: this.logger,
      ...(options.observe ? { observe: options.observe } : {}),
    });
    this.#userAgent = options.userAgent ?? 'ramp-controller';
    this.configuration = createConfiguration({
      baseServer: new ServerConfiguration(this.server, {}),
      authMethods: { default: this.kubeConfig },
      httpApi: wrapHttpLibrary(this.http),
      middleware: [setHeaderMiddleware('User-Agent', this.#userAgent)],
    });
    this.#watch = new Watch(this.kubeConfig);
  }

  /**
   * A client on the same KubeConfig with its own retry policy and/or rate limiter (by default it
   * shares this one's limiter, so both count against --qps/--burst).
   */
  derive(changes: { retry?: Partial<RetryPolicy>; limiter?: TokenBucket }): KubeClient {
    return new KubeClient({
      ...this.#options,
      kubeConfig: this.kubeConfig,
      limiter: changes.limiter ?? this.limiter,
      retry: { ...this.http.retryPolicy, ...changes.retry },
    });
  }

  /** Any generated client-node API class, wired to the rate-limited transport. */
  api<T>(ctor: ApiConstructor<T>): T {
    let api = this.#apis.get(ctor) as T | undefined;
    if (!api) {
      api = new ctor(this.configuration);
      this.#apis.set(ctor, api);
    }
    return api;
  }

  get core(): CoreV1Api {
    return this.api(CoreV1Api);
  }
  get apps(): AppsV1Api {
    return this.api(AppsV1Api);
  }
  get coordination(): CoordinationV1Api {
    return this.api(CoordinationV1Api);
  }
  get customObjects(): CustomObjectsApi {
    return this.api(CustomObjectsApi);
  }
  get objects(): KubernetesObjectApi {
    let api = this.#apis.get(ObjectApi) as ObjectApi | undefined;
    if (!api) {
      api = new ObjectApi(this.configuration, this.kubeConfig);
      this.#apis.set(ObjectApi, api);
    }
    return api;
  }

  #url(path: string, query?: RawRequest['query']): string {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  /**
   * A JSON request to any API path, through the limiter and retries. Resolves with the parsed
   * body; rejects with KubeApiError on a non-2xx answer.
   */
  async request<T = unknown>(req: RawRequest): Promise<T> {
    const ctx = new RequestContext(this.#url(req.path, req.query), req.method);
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('User-Agent', this.#userAgent);
    if (req.body !== undefined) {
      ctx.setHeaderParam('Content-Type', req.method === 'PATCH' ? PATCH_CONTENT_TYPE[req.patchType ?? 'merge'] : 'application/json');
      ctx.setBody(JSON.stringify(req.body));
    }
    if (req.signal) ctx.setSignal(req.signal);
    await this.kubeConfig.applySecurityAuthentication(ctx);
    const response = await this.http.send(ctx);
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) {
      return (text === '' ? undefined : JSON.parse(text)) as T;
    }
    let status: ApiStatus | undefined;
    try {
      status = JSON.parse(text) as ApiStatus;
    } catch {
      status = undefined;
    }
    throw new KubeApiError({
      statusCode: response.httpStatusCode,
      method: req.method,
      path: req.path,
      ...(status ? { status } : {}),
      text,
      ...(() => {
        const ms = parseRetryAfter(response.headers['retry-after'], Date.now());
        return ms === undefined ? {} : { retryAfterMs: ms };
      })(),
    });
  }

  /**
   * Opens a watch stream (after taking a rate-limiter token). `onEvent` gets each event;
   * `onDone` is called once when the stream ends, with the error if it failed.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, object: unknown) => void,
    onDone: (err: unknown) => void,
    signal?: AbortSignal,
  ): Promise<WatchHandle> {
    await this.limiter.acquire(signal);
    const controller = await this.#watch.watch(path, query, onEvent, onDone);
    return { abort: () => controller.abort() };
  }
}

export function createKubeClient(options: KubeClientOptions = {}): KubeClient {
  return new KubeClient(options);
}
