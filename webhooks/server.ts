// The webhook over HTTPS: node:https around the express app, with the serving certificate
// reloaded from disk without a restart and the server timeouts set on purpose.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../controller/log/logger.ts';
import { silentLogger } from '../controller/log/logger.ts';
import { createWebhookApp, type WebhookDependencies } from './app.ts';
import { WebhookMetrics } from './metrics.ts';
import { TlsFiles } from './tls-files.ts';

/**
 * - headers: 10 s to send the request headers (a slow client cannot hold sockets forever);
 * - request: 35 s for the whole request, above the API server's 30 s maximum webhook timeout;
 * - keep-alive: 120 s, above the 90 s idle timeout of the API server's HTTP transport, so it is
 *   the API server that closes an idle connection; a server closing first races with a request
 *   being sent on it, and that request fails (failurePolicy decides what the user sees).
 */
export const DEFAULT_TIMEOUTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 35_000, keepAliveTimeoutMs: 120_000 } as const;

export interface WebhookServerOptions extends WebhookDependencies {
  /** Default 127.0.0.1; in a Pod, pass 0.0.0.0 (the chart does). */
  address?: string;
  /** 0 picks a free port. */
  port: number;
  certFile: string;
  keyFile: string;
  tlsPollIntervalMs?: number;
  timeouts?: Partial<typeof DEFAULT_TIMEOUTS>;
}

export interface WebhookServer {
  url: string;
  port: number;
  server: Server;
  tls: TlsFiles;
  metrics: WebhookMetrics;
  close(): Promise<void>;
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const logger: Logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? new WebhookMetrics();
  let server: Server | undefined;
  const tls = new TlsFiles({
    certFile: options.certFile,
    keyFile: options.keyFile,
    ...(options.tlsPollIntervalMs === undefined ? {} : { pollIntervalMs: options.tlsPollIntervalMs }),
    logger,
    onReload: (pair) => server?.setSecureContext({ ...pair, minVersion: 'TLSv1.2' }),
    onReloadResult: (ok) => metrics.observeTlsReload(ok),
  });
  const app = createWebhookApp({ ...options, metrics, logger });
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  server = createServer(
    {
      ...tls.current,
      minVersion: 'TLSv1.2',
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    },
    app,
  );
  // Handshake failures and resets are the client's business; they must not take the server down.
  server.on('tlsClientError', (error) => logger.debug('TLS handshake failed', { error: error.message }));
  server.on('clientError', (error, socket) => {
    logger.debug('client error', { error: error.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const srv = server;
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(options.port, options.address ?? '127.0.0.1', () => {
      srv.off('error', reject);
      resolve();
    });
  });
  tls.start();
  const address = srv.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info('webhook serving', { url: `https://${host}:${address.port}` });
  return {
    url: `https://${host}:${address.port}`,
    port: address.port,
    server: srv,
    tls,
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        tls.stop();
        srv.close(() => resolve());
        srv.closeAllConnections();
      }),
  };
}
