// `ramp up`: Ramp's embedded default. Brings up (or reuses) the local control plane, installs
// the CRDs, serves the admission webhook in this process on a free 127.0.0.1 port and registers
// it, runs the controller in this process (no leader election), and applies an example Rollout.
// stop() undoes it in this order: webhook configurations, controller, webhook server, the
// session's files, and the cluster if this session started it.
//
// Every piece is one that already exists (clusterUp, startWebhookServer, startController); this
// file only puts them in order and remembers what to take down.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { startController, type RunningController } from '../app/start.ts';
import { KubeClient } from '../kube/client.ts';
import { describeError, isNotFound } from '../kube/errors.ts';
import { missingBinaries, runBuild } from '../localcluster/binaries.ts';
import { clusterDown, clusterStatus, clusterUp, resolveClusterConfig, withClusterLock, type ClusterConfig } from '../localcluster/cluster.ts';
import { otherLiveUsers, registerUser } from '../localcluster/users.ts';
import { createLogger, type Logger, type LogLevel } from '../log/logger.ts';
import { clusterNamespaceLabels, clusterPolicySource, clusterRolloutLookup, startWebhookServer, type WebhookServer } from '../../webhooks/index.ts';
import { objectPath, serverSideApply } from './apply.ts';
import { removeStaleSessionDirs, writeServingCertificate } from './certs.ts';
import { installCrds } from './crds.ts';
import { readExample, type Example } from './examples.ts';
import { registerWebhooks, sessionId, waitForWebhookCalls, type Registered } from './registration.ts';
import { Interrupted, pollUntil } from './wait.ts';
import { devConfigurationName, devWebhookConfigurations } from './webhook-configurations.ts';

export { Interrupted } from './wait.ts';

export interface DevSessionOptions {
  /** Where the example goes (and, with `namespaced`, the only namespace watched). */
  namespace: string;
  /** Scope the controller and the webhooks to `namespace` (share a cluster with others). */
  namespaced: boolean;
  /** undefined: apply no example. */
  example: Example | undefined;
  /** Leave a cluster this session started running on stop. */
  keepCluster: boolean;
  logLevel: LogLevel;
  /** Progress lines for the person watching. */
  progress: (line: string) => void;
  /** Ctrl-C during start-up: stop waiting, take down what was started, throw Interrupted. */
  signal: AbortSignal;
  /** How long to wait for the example to become Healthy before printing the commands anyway (default 120 s). */
  healthyTimeoutMs?: number;
  config?: ClusterConfig;
}

export interface SessionSummary {
  cluster: { reused: boolean; server: string; kubeconfig: string; stateDir: string; stopOnExit: boolean; nodes: string[] };
  crds: string[];
  webhook: { url: string; configurations: string[]; replaced: string[] };
  /** undefined: every namespace (kube-system excepted for the webhooks). */
  scope: string | undefined;
  namespace: string;
  example: { example: Example; namespace: string; phase: string; message: string; existed: boolean } | undefined;
  logFile: string;
}

export interface DevSession {
  summary: SessionSummary;
  /** Ends after the controller (or the webhook) stopped unexpectedly; never resolves otherwise. */
  failed: Promise<string>;
  stop(progress?: (line: string) => void): Promise<void>;
}

/** What to take down, filled in as the start goes on. */
interface Parts {
  config: ClusterConfig;
  unregisterUser?: () => void;
  stopCluster: boolean;
  logFd?: number;
  certDir?: string;
  webhook?: { server: WebhookServer; stopSources: () => Promise<void> };
  registered?: Registered;
  controller?: RunningController;
}

interface Rollout extends KubernetesObject {
  status?: { phase?: string; message?: string };
}

export async function startDevSession(opts: DevSessionOptions): Promise<DevSession> {
  const { progress, signal } = opts;
  const config = opts.config ?? resolveClusterConfig();
  const parts: Parts = { config, stopCluster: false };
  const checkpoint = (): void => {
    if (signal.aborted) throw new Interrupted();
  };
  try {
    // 1. The cluster: reuse a healthy one as it is, or start one (building the binaries first).
    const status = await clusterStatus(config);
    let reused = status.state === 'healthy' && status.cluster !== undefined;
    let cluster = status.cluster;
    if (reused) {
      progress(`cluster     reusing the one running in ${config.stateDir} (${cluster?.server})`);
    } else {
      await ensureBinaries(config, progress);
      checkpoint();
      progress(`cluster     starting in ${config.stateDir}`);
      const t0 = Date.now();
      const result = await clusterUp(config, { log: (line) => progress(`            ${line}`) });
      cluster = result.cluster;
      reused = result.alreadyRunning;
      parts.stopCluster = !reused && !opts.keepCluster;
      progress(`cluster     ${reused ? 'reusing' : 'started'} ${cluster.server} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
    if (!cluster) throw new Error(`no cluster state in ${config.stateDir}`);
    // While the session runs, a test run that started this cluster does not stop it.
    parts.unregisterUser = registerUser(config);
    checkpoint();

    const logFile = join(config.layout.logsDir, 'ramp-up.log');
    parts.logFd = openSync(logFile, 'a');
    const fd = parts.logFd;
    const logger: Logger = createLogger({ level: opts.logLevel, format: 'text', fields: { session: process.pid }, write: (line) => writeSync(fd, line + '\n') });
    const client = new KubeClient({ kubeconfig: cluster.kubeconfig, logger, userAgent: 'ramp-up' });

    // 2. CRDs.
    const crds = await installCrds(client, { signal });
    progress(`crds        ${crds.length} installed or up to date (charts/ramp/crds)`);
    checkpoint();

    // 3. The namespace (the webhook probe and the example need it).
    await serverSideApply(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: opts.namespace } });

    // 4. The webhook, in this process, on a free port of 127.0.0.1.
    removeStaleSessionDirs(config.stateDir);
    const cert = await writeServingCertificate(config.stateDir);
    parts.certDir = cert.dir;
    const webhookLog = logger.child({ component: 'ramp-webhook' });
    const policies = clusterPolicySource(client, webhookLog);
    const namespaces = clusterNamespaceLabels(client, { logger: webhookLog });
    policies.start();
    namespaces.start();
    const stopSources = async (): Promise<void> => {
      await Promise.all([policies.stop(), namespaces.stop()]);
    };
    let server: WebhookServer;
    try {
      // Policies must be known before the first admission, or they would silently not apply.
      await pollUntil(async () => (policies.synced() && namespaces.synced()) || 'RolloutPolicy and Namespace caches syncing', {
        what: 'the webhook to list RolloutPolicies and Namespaces',
        timeoutMs: 30_000,
        intervalMs: 100,
        signal,
      });
      server = await startWebhookServer({
        port: 0,
        address: '127.0.0.1',
        certFile: cert.certFile,
        keyFile: cert.keyFile,
        logger: webhookLog,
        policies: () => policies.policies(),
        namespaceLabels: (ns) => namespaces.labels(ns),
        lookupRollout: clusterRolloutLookup(client, { logger: webhookLog }),
        readiness: () => {
          const waitingFor = [...(policies.synced() ? [] : ['the RolloutPolicy list']), ...(namespaces.synced() ? [] : ['the Namespace list'])];
          return { ready: waitingFor.length === 0, waitingFor };
        },
      });
    } catch (error) {
      await stopSources();
      throw error;
    }
    parts.webhook = { server, stopSources };
    server.metrics.reportPolicies(() => policies.policies().length);

    // 5. Its configurations, then proof that the API server calls it.
    const scope = opts.namespaced ? opts.namespace : undefined;
    const configs = devWebhookConfigurations({
      name: devConfigurationName(scope),
      url: server.url,
      caBundle: cert.caBundle,
      ...(scope === undefined ? {} : { namespace: scope }),
      session: sessionId(),
    });
    parts.registered = await registerWebhooks(client, configs);
    for (const r of parts.registered.replaced) progress(`webhook     replaced ${r}`);
    await waitForWebhookCalls(client, opts.namespace, { signal });
    progress(`webhook     ${server.url} (validate, mutate, mutate-managed); the API server calls it`);

    // 6. The controller, in this process, without leader election.
    parts.controller = startController({ client, ...(scope === undefined ? {} : { namespace: scope }), logger: logger.child({ component: 'ramp-controller' }) });
    progress(`controller  running in this process (${scope === undefined ? 'all namespaces' : `namespace ${scope}`}, no leader election)`);
    checkpoint();

    // 7. The example.
    let example: SessionSummary['example'];
    if (opts.example) {
      example = await applyExample(client, opts.example, opts.namespace, progress, signal, opts.healthyTimeoutMs ?? 120_000);
    }

    const controller = parts.controller;
    const failed = new Promise<string>((resolve) => {
      void controller.done.then((outcome) => resolve(`the controller ended (${outcome})`));
      server.server.once('close', () => resolve('the webhook server closed'));
    });
    const summary: SessionSummary = {
      cluster: { reused, server: cluster.server, kubeconfig: cluster.kubeconfig, stateDir: config.stateDir, stopOnExit: parts.stopCluster, nodes: cluster.nodes },
      crds,
      webhook: { url: server.url, configurations: parts.registered.names, replaced: parts.registered.replaced },
      scope,
      namespace: opts.namespace,
      example,
      logFile,
    };
    return { summary, failed, stop: (p = progress) => teardown(parts, p) };
  } catch (error) {
    await teardown(parts, progress);
    throw error;
  }
}

async function ensureBinaries(config: ClusterConfig, progress: (line: string) => void): Promise<void> {
  const missing = missingBinaries(config.binDir);
  if (missing.length === 0) return;
  progress(`cluster     binaries missing (${missing.join(', ')}): building them once with test/cluster/build.sh (about 10 minutes on 2 cores)`);
  const code = await runBuild((line) => progress(`  build | ${line}`));
  if (code !== 0) throw new Error(`building the control plane failed (exit ${code}); see the output above`);
  const still = missingBinaries(config.binDir);
  if (still.length > 0) throw new Error(`the build finished but ${still.join(', ')} are still missing from ${config.binDir}`);
}

async function applyExample(
  client: KubeClient,
  example: Example,
  namespace: string,
  progress: (line: string) => void,
  signal: AbortSignal,
  healthyTimeoutMs: number,
): Promise<NonNullable<SessionSummary['example']>> {
  const objects = readExample(example, namespace);
  const rollout = objects.find((o) => o.kind === 'Rollout' && o.metadata?.name === example.rollout);
  if (!rollout) throw new Error(`${example.file} has no Rollout named ${example.rollout}`);
  let existed = false;
  try {
    await client.request({ method: 'GET', path: objectPath(rollout) });
    existed = true;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (existed) {
    // Re-applying would reset an image someone set: leave a demo that is already there alone.
    progress(`example     Rollout ${example.rollout} already exists in ${namespace}; left as it is (delete it to start over)`);
  } else {
    for (const object of objects) await serverSideApply(client, object);
    progress(`example     applied ${example.file} to namespace ${namespace} (${objects.map((o) => `${o.kind} ${o.metadata?.name}`).join(', ')})`);
  }
  let last: Rollout | undefined;
  try {
    await pollUntil(
      async () => {
        last = await client.request<Rollout>({ method: 'GET', path: objectPath(rollout) });
        return last.status?.phase === 'Healthy' || `phase ${last.status?.phase ?? '(none yet)'}${last.status?.message ? `: ${last.status.message}` : ''}`;
      },
      { what: `Rollout ${example.rollout} to be Healthy`, timeoutMs: healthyTimeoutMs, intervalMs: 500, signal },
    );
  } catch (error) {
    if (error instanceof Interrupted) throw error;
    progress(`example     ${describeError(error)} (the session keeps running; see the log)`);
  }
  return { example, namespace, phase: last?.status?.phase ?? '', message: last?.status?.message ?? '', existed };
}

/** Takes down what `parts` holds, in order; every step runs even when an earlier one failed. */
async function teardown(parts: Parts, progress: (line: string) => void): Promise<void> {
  const problems: string[] = [];
  const step = async (what: string, fn: () => Promise<void> | void): Promise<void> => {
    try {
      await fn();
    } catch (error) {
      problems.push(`${what}: ${describeError(error)}`);
      progress(`stop        ${what} failed: ${describeError(error)}`);
    }
  };
  const registered = parts.registered;
  if (registered) {
    // First: with the configurations gone, nothing in the cluster calls a webhook that is stopping.
    await step('deleting the webhook configurations', async () => {
      await registered.remove();
      progress(`stop        deleted ${registered.names.join(' and ')}`);
    });
    parts.registered = undefined;
  }
  const controller = parts.controller;
  if (controller) {
    await step('stopping the controller', async () => {
      await controller.stop();
      progress('stop        controller stopped');
    });
    parts.controller = undefined;
  }
  const webhook = parts.webhook;
  if (webhook) {
    await step('stopping the webhook', async () => {
      await webhook.server.close();
      await webhook.stopSources();
      progress('stop        webhook stopped');
    });
    parts.webhook = undefined;
  }
  if (parts.certDir) {
    const dir = parts.certDir;
    await step('removing the webhook certificate', () => rmSync(dir, { recursive: true, force: true }));
    parts.certDir = undefined;
  }
  if (parts.logFd !== undefined) {
    const fd = parts.logFd;
    parts.logFd = undefined;
    await step('closing the log', () => closeSync(fd));
  }
  parts.unregisterUser?.();
  parts.unregisterUser = undefined;
  if (parts.stopCluster) {
    parts.stopCluster = false;
    const config = parts.config;
    await step('stopping the cluster', () =>
      withClusterLock(config, async () => {
        const users = otherLiveUsers(config);
        if (users.length > 0) {
          progress(`stop        cluster left running: in use by pids ${users.join(', ')} (it stops with the last test run; or: npx ramp cluster down)`);
          return;
        }
        const result = await clusterDown(config);
        progress(`stop        cluster stopped in ${result.seconds.toFixed(1)}s (logs kept in ${config.layout.logsDir})`);
      }),
    );
  }
  if (problems.length > 0) throw new Error(`stopping left problems behind:\n  ${problems.join('\n  ')}`);
}
