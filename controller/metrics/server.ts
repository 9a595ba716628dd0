// The controller's small HTTP servers: /metrics on --metricsPort (Argo: 8090) and /healthz,
// /readyz on --healthzPort (Argo: 8080); both on one listener when the ports are equal. Bounded:
// GET (and HEAD) only, no request body, short timeouts, few headers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RouteAnswer {
  status: number;
  body: string;
  contentType?: string;
}

export type Route = () => RouteAnswer | Promise<RouteAnswer>;

export const REQUEST_TIMEOUT_MS = 5_000;

function send(req: IncomingMessage, res: ServerResponse, answer: RouteAnswer, extra: Record<string, string> = {}): void {
  res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra });
  res.end(req.method === 'HEAD' ? undefined : answer.body);
}

/** A request handler over a fixed route table. */
export function routeHandler(routes: Readonly<Record<string, Route>>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route) return send(req, res, { status: 404, body: 'not found\n' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, { status: 405, body: 'method not allowed\n' }, { allow: 'GET, HEAD' });
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > 0 || req.headers['transfer-encoding'] !== undefined) {
      return send(req, res, { status: 400, body: 'a request body is not accepted\n' }, { connection: 'close' });
    }
    Promise.resolve()
      .then(route)
      .then(
        (answer) => send(req, res, answer),
        (error: unknown) => send(req, res, { status: 500, body: `${error instanceof Error ? error.message : String(error)}\n` }),
      );
  };
}

export interface ListeningServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0: any free port) with the routes. */
export async function listen(routes: Readonly<Record<string, Route>>, host: string, port: number): Promise<ListeningServer> {
  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: REQUEST_TIMEOUT_MS, maxHeaderSize: 8192 }, routeHandler(routes));
  server.maxHeadersCount = 50;
  server.setTimeout(REQUEST_TIMEOUT_MS, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface ControllerHealth {
  /** Process alive and the controller (election and, when leading, the loops) still running. */
  live(): boolean;
  /** Caches synced and loops running; a follower under leader election is ready too. */
  ready(): boolean;
}

export interface ControllerServersOptions {
  host: string;
  metricsPort: number;
  healthzPort: number;
  metrics: { text(): Promise<string>; readonly contentType: string };
  health: ControllerHealth;
}

export interface ControllerServers {
  readonly metricsPort: number;
  readonly healthzPort: number;
  close(): Promise<void>;
}

export function controllerRoutes(options: Pick<ControllerServersOptions, 'metrics' | 'health'>): { metrics: Record<string, Route>; health: Record<string, Route> } {
  return {
    metrics: { '/metrics': async () => ({ status: 200, body: await options.metrics.text(), contentType: options.metrics.contentType }) },
    health: {
      '/healthz': () => (options.health.live() ? { status: 200, body: 'ok\n' } : { status: 503, body: 'controller stopped\n' }),
      '/readyz': () => (options.health.ready() ? { status: 200, body: 'ok\n' } : { status: 503, body: 'caches not synced\n' }),
    },
  };
}

/** Starts the metrics and health listeners (one when the ports are equal and not 0). */
export async function startControllerServers(options: ControllerServersOptions): Promise<ControllerServers> {
  const routes = controllerRoutes(options);
  if (options.metricsPort === options.healthzPort && options.metricsPort !== 0) {
    const one = await listen({ ...routes.metrics, ...routes.health }, options.host, options.metricsPort);
    return { metricsPort: one.port, healthzPort: one.port, close: () => one.close() };
  }
  const metrics = await listen(routes.metrics, options.host, options.metricsPort);
  let health: ListeningServer;
  try {
    health = await listen(routes.health, options.host, options.healthzPort);
  } catch (error) {
    await metrics.close();
    throw error;
  }
  return {
    metricsPort: metrics.port,
    healthzPort: health.port,
    close: async () => {
      await Promise.all([metrics.close(), health.close()]);
    },
  };
}
