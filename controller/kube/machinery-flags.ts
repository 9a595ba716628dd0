// The flags of the generic controller machinery, with Argo Rollouts' names and defaults where
// Argo has them (reference §14.1), and the typed options they turn into.
import { UsageError } from '../cli/command.ts';
import { DEFAULT_LEASE_DURATION_MS, DEFAULT_LEASE_NAME, DEFAULT_RENEW_DEADLINE_MS, DEFAULT_RETRY_PERIOD_MS, validateTimings } from '../leader/config.ts';
import { parseLogLevel, type LogFormat, type LogLevel } from '../log/logger.ts';
import { DEFAULT_RESYNC_SCHEDULE, validateResyncSchedule } from '../resync/periodic.ts';
import { DEFAULT_BURST, DEFAULT_QPS } from './client.ts';
import { parseFlags, type FlagSpec, type FlagValue } from './flags.ts';
import { leaseNameFor } from './instance-id.ts';

export const machineryFlags: readonly FlagSpec[] = [
  { name: 'kubeconfig', type: 'string', help: 'Path to a kubeconfig; default $KUBECONFIG, ~/.kube/config, then in-cluster' },
  { name: 'context', type: 'string', help: 'kubeconfig context to use' },
  { name: 'qps', type: 'number', default: DEFAULT_QPS, help: 'Sustained API requests per second (<= 0: no client-side limit)' },
  { name: 'burst', type: 'int', default: DEFAULT_BURST, help: 'API requests allowed in a burst above --qps' },
  { name: 'namespaced', type: 'bool', default: false, help: 'Watch only the controller namespace (or --namespace)' },
  { name: 'namespace', type: 'string', help: 'Namespace watched with --namespaced; default the controller namespace' },
  { name: 'instance-id', type: 'string', default: '', help: 'Only handle objects labelled argo-rollouts.argoproj.io/controller-instance-id=<id>' },
  { name: 'resync', type: 'string', default: DEFAULT_RESYNC_SCHEDULE, help: 'node-cron expression for the full resync from the caches' },
  { name: 'leader-elect', type: 'bool', default: true, help: 'Elect a leader on a Lease so only one replica reconciles' },
  { name: 'leader-election-lease-duration', type: 'duration', default: DEFAULT_LEASE_DURATION_MS, help: 'How long followers wait after the last renewal before taking over' },
  { name: 'leader-election-renew-deadline', type: 'duration', default: DEFAULT_RENEW_DEADLINE_MS, help: 'How long the leader keeps trying to renew before giving up' },
  { name: 'leader-election-retry-period', type: 'duration', default: DEFAULT_RETRY_PERIOD_MS, help: 'Time between attempts to acquire or renew' },
  { name: 'leader-election-namespace', type: 'string', help: 'Namespace of the Lease; default the controller namespace' },
  { name: 'leader-election-lease-name', type: 'string', help: `Lease name; default ${DEFAULT_LEASE_NAME}[-<instance-id>]` },
  { name: 'loglevel', type: 'string', default: 'info', help: 'debug, info, warn or error' },
  { name: 'logformat', type: 'string', default: 'json', help: 'json or text' },
];

export interface MachineryOptions {
  kubeconfig: string | undefined;
  context: string | undefined;
  qps: number;
  burst: number;
  /** The namespace to watch, or undefined for all namespaces. Resolve '' to the controller namespace. */
  namespaced: boolean;
  namespace: string | undefined;
  instanceId: string | undefined;
  resync: string;
  leaderElection: {
    enabled: boolean;
    leaseDurationMs: number;
    renewDeadlineMs: number;
    retryPeriodMs: number;
    /** undefined: the controller namespace. */
    namespace: string | undefined;
    leaseName: string;
  };
  log: { level: LogLevel; format: LogFormat };
}

function str(v: FlagValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Parses the machinery flags out of `argv`; other arguments come back in `rest`. */
export function parseMachineryFlags(argv: readonly string[]): { options: MachineryOptions; rest: string[] } {
  const { values: v, rest } = parseFlags(machineryFlags, argv, { allowUnknown: true });
  const burst = v['burst'] as number;
  if (burst < 1) throw new UsageError(`--burst must be at least 1, got ${burst}`);
  const instanceId = str(v['instance-id']);
  const leaderElection = {
    enabled: v['leader-elect'] as boolean,
    leaseDurationMs: v['leader-election-lease-duration'] as number,
    renewDeadlineMs: v['leader-election-renew-deadline'] as number,
    retryPeriodMs: v['leader-election-retry-period'] as number,
    namespace: str(v['leader-election-namespace']),
    leaseName: str(v['leader-election-lease-name']) ?? leaseNameFor(instanceId, DEFAULT_LEASE_NAME),
  };
  try {
    validateTimings(leaderElection);
    validateResyncSchedule(v['resync'] as string);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const format = v['logformat'] as string;
  if (format !== 'json' && format !== 'text') throw new UsageError(`--logformat must be json or text, got "${format}"`);
  let level: LogLevel;
  try {
    level = parseLogLevel(v['loglevel'] as string);
  } catch (error) {
    throw new UsageError(`--loglevel: ${(error as Error).message}`);
  }
  if (!v['namespaced'] && str(v['namespace'])) throw new UsageError('--namespace only applies with --namespaced');
  return {
    rest,
    options: {
      kubeconfig: str(v['kubeconfig']),
      context: str(v['context']),
      qps: v['qps'] as number,
      burst,
      namespaced: v['namespaced'] as boolean,
      namespace: str(v['namespace']),
      instanceId,
      resync: v['resync'] as string,
      leaderElection,
      log: { level, format },
    },
  };
}
