// `ramp webhook`: the admission webhook server (validating, mutating, managed-object guard).
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { createKubeClient } from '../../kube/client.ts';
import { createLogger, parseLogLevel, type Logger } from '../../log/logger.ts';
import type { RolloutPolicy } from '../../../functions/api/index.ts';
import { formatFieldError } from '../../../functions/api/index.ts';
import { validateRolloutPolicy } from '../../../functions/policy/index.ts';
import {
  clusterNamespaceLabels,
  clusterPolicySource,
  clusterRolloutLookup,
  staticPolicySource,
  startWebhookServer,
} from '../../../webhooks/index.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';

const usage = `Usage: ramp webhook --tls-cert-file FILE --tls-key-file FILE [flags]

Serves Ramp's admission webhooks over HTTPS:
  POST /validate        Argo kinds and RolloutPolicies: validation and policy rules
  POST /mutate          Rollouts and Experiments: Argo's defaults and policy defaults
  POST /mutate-managed  Services and Ingresses a Rollout manages: keep the controller's selector
  GET  /healthz /readyz /metrics
The certificate and key are reloaded when the files change. See docs/admission.md for the
webhook configurations to register.

  --port N                 port to listen on (default 9443)
  --address ADDR           address to listen on (default 127.0.0.1; 0.0.0.0 in a Pod)
  --tls-cert-file FILE     serving certificate (PEM), required
  --tls-key-file FILE      its private key (PEM), required
  --kubeconfig FILE        API credentials (default: $KUBECONFIG, ~/.kube/config, in-cluster)
  --policy-file FILE       use the RolloutPolicies in FILE instead of watching the cluster's
  --loglevel LEVEL         debug, info, warn, error (default info)`;

interface WebhookFlags {
  port: number;
  address: string;
  certFile: string;
  keyFile: string;
  kubeconfig?: string;
  policyFile?: string;
  logLevel: string;
}

export function parseWebhookFlags(args: readonly string[]): WebhookFlags {
  const values = new Map<string, string>();
  const known = ['--port', '--address', '--tls-cert-file', '--tls-key-file', '--kubeconfig', '--policy-file', '--loglevel'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.includes(flag)) throw new UsageError(`unknown flag ${JSON.stringify(arg)}`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    values.set(flag, value);
  }
  const port = Number(values.get('--port') ?? '9443');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: want a port number 0..65535, got ${JSON.stringify(values.get('--port'))}`);
  const certFile = values.get('--tls-cert-file');
  const keyFile = values.get('--tls-key-file');
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert-file and --tls-key-file are required');
  const flags: WebhookFlags = { port, address: values.get('--address') ?? '127.0.0.1', certFile, keyFile, logLevel: values.get('--loglevel') ?? 'info' };
  const kubeconfig = values.get('--kubeconfig');
  if (kubeconfig !== undefined) flags.kubeconfig = kubeconfig;
  const policyFile = values.get('--policy-file');
  if (policyFile !== undefined) flags.policyFile = policyFile;
  try {
    parseLogLevel(flags.logLevel);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return flags;
}

async function policiesFromFile(file: string): Promise<RolloutPolicy[]> {
  const policies: RolloutPolicy[] = [];
  for (const [i, doc] of parseAllDocuments(await readFile(file, 'utf8')).entries()) {
    const value: unknown = doc.toJS();
    if (value === null) continue;
    const errors = validateRolloutPolicy(value);
    if (errors.length > 0) throw new Error(`${file}:${i + 1}: invalid RolloutPolicy: ${errors.map(formatFieldError).join('; ')}`);
    policies.push(value as RolloutPolicy);
  }
  return policies;
}

function waitForSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      logger.info('stopping', { signal });
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

export const webhookCommand: Command = {
  name: 'webhook',
  summary: 'Serve the admission webhooks (validate, default, policy, managed Service guard) over HTTPS',
  usage,
  async run(args) {
    const flags = parseWebhookFlags(args);
    const logger = createLogger({ level: parseLogLevel(flags.logLevel), fields: { component: 'ramp-webhook' } });
    const client = createKubeClient({ ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), logger, userAgent: 'ramp-webhook' });
    const policies = flags.policyFile === undefined ? clusterPolicySource(client, logger) : staticPolicySource(await policiesFromFile(flags.policyFile));
    const namespaces = clusterNamespaceLabels(client, { logger });
    policies.start();
    namespaces.start();
    const server = await startWebhookServer({
      port: flags.port,
      address: flags.address,
      certFile: flags.certFile,
      keyFile: flags.keyFile,
      logger,
      policies: () => policies.policies(),
      namespaceLabels: (ns) => namespaces.labels(ns),
      lookupRollout: clusterRolloutLookup(client, { logger }),
      readiness: () => {
        const waitingFor = [...(policies.synced() ? [] : ['the RolloutPolicy list']), ...(namespaces.synced() ? [] : ['the Namespace list'])];
        return { ready: waitingFor.length === 0, waitingFor };
      },
    });
    server.metrics.reportPolicies(() => policies.policies().length);
    await waitForSignal(logger);
    await server.close();
    await Promise.all([policies.stop(), namespaces.stop()]);
    return ExitCode.ok;
  },
};
