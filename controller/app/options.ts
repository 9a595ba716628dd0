// From parsed flags to ControllerOptions: the client, the watched namespace, the Lease.
import { KubeClient } from '../kube/client.ts';
import type { RequestObserver } from '../kube/http.ts';
import { controllerNamespace } from '../kube/config.ts';
import { parseFlags, type FlagSpec } from '../kube/flags.ts';
import { parseMachineryFlags, type MachineryOptions } from '../kube/machinery-flags.ts';
import { UsageError } from '../cli/command.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import type { ControllerOptions } from './start.ts';

/** Flags of the Rollout controller on top of the machinery's (Argo's names and defaults). */
export const controllerFlags: readonly FlagSpec[] = [
  { name: 'rollout-threads', type: 'int', default: 10, help: 'Rollouts reconciled at once' },
  { name: 'service-threads', type: 'int', default: 10, help: 'Services and Ingresses checked for restore at once' },
];

/** `ramp controller`'s HTTP servers (Argo's --metricsPort and --healthzPort, with their defaults). */
export const serverFlags: readonly FlagSpec[] = [
  { name: 'metricsPort', type: 'int', default: 8090, aliases: ['metricsport'], help: 'Port of GET /metrics (Prometheus)' },
  { name: 'healthzPort', type: 'int', default: 8080, help: 'Port of GET /healthz (liveness) and /readyz (readiness)' },
  { name: 'bind-address', type: 'string', default: '0.0.0.0', help: 'Address the metrics and health servers listen on' },
];

export interface ServerSettings {
  host: string;
  metricsPort: number;
  healthzPort: number;
}

/** The server settings from parsed `own` flags (serverFlags). */
export function serverSettingsFrom(own: ParsedControllerArgs['own']): ServerSettings {
  const settings = { host: String(own['bind-address']), metricsPort: own['metricsPort'] as number, healthzPort: own['healthzPort'] as number };
  for (const flag of ['metricsPort', 'healthzPort'] as const) {
    const port = settings[flag];
    if (port < 0 || port > 65535) throw new UsageError(`--${flag} must be a port number (0-65535), got ${port}`);
  }
  if (settings.host === '') throw new UsageError('--bind-address must not be empty');
  return settings;
}

export interface ParsedControllerArgs {
  machinery: MachineryOptions;
  rolloutWorkers: number;
  serviceWorkers: number;
  /** Flags the caller declared (e.g. reconcile's --once). */
  own: Record<string, string | number | boolean | undefined>;
}

/** Parses machinery flags, the controller's flags and `own`; anything else is a usage error. */
export function parseControllerArgs(args: readonly string[], own: readonly FlagSpec[] = []): ParsedControllerArgs {
  const { options: machinery, rest } = parseMachineryFlags(args);
  const { values, rest: leftover } = parseFlags([...controllerFlags, ...own], rest);
  if (leftover.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(leftover[0])}`);
  const rolloutWorkers = values['rollout-threads'] as number;
  const serviceWorkers = values['service-threads'] as number;
  if (rolloutWorkers < 1) throw new UsageError(`--rollout-threads must be at least 1, got ${rolloutWorkers}`);
  if (serviceWorkers < 1) throw new UsageError(`--service-threads must be at least 1, got ${serviceWorkers}`);
  return { machinery, rolloutWorkers, serviceWorkers, own: values };
}

/** Builds the client, logger, watched namespace and Lease settings the flags describe. */
export function controllerOptionsFrom(parsed: ParsedControllerArgs, logger?: Logger, observe?: RequestObserver): ControllerOptions & { logger: Logger } {
  const m = parsed.machinery;
  const log = logger ?? createLogger({ level: m.log.level, format: m.log.format });
  const client = new KubeClient({
    ...(m.kubeconfig ? { kubeconfig: m.kubeconfig } : {}),
    ...(m.context ? { context: m.context } : {}),
    qps: m.qps,
    burst: m.burst,
    logger: log,
    ...(observe ? { observe } : {}),
  });
  const home = controllerNamespace(client.kubeConfig);
  const le = m.leaderElection;
  return {
    client,
    ...(m.namespaced ? { namespace: m.namespace ?? home } : {}),
    ...(m.instanceId ? { instanceId: m.instanceId } : {}),
    resync: m.resync,
    rolloutWorkers: parsed.rolloutWorkers,
    serviceWorkers: parsed.serviceWorkers,
    ...(le.enabled
      ? {
          leaderElection: {
            namespace: le.namespace ?? home,
            leaseName: le.leaseName,
            leaseDurationMs: le.leaseDurationMs,
            renewDeadlineMs: le.renewDeadlineMs,
            retryPeriodMs: le.retryPeriodMs,
          },
        }
      : {}),
    logger: log,
  };
}
