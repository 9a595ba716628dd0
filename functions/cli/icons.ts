// The icons and colours of Argo's `get rollout` view, so the two read the same.

export const Icon = {
  waiting: '◷',
  progressing: '◌',
  warning: '⚠',
  unknown: '?',
  ok: '✔',
  bad: '✖',
  paused: '॥',
  neutral: '•',
} as const;

export const KindIcon = {
  rollout: '⟳',
  revision: '#',
  replicaSet: '⧉',
  pod: '□',
  job: '⊞',
  analysisRun: 'α',
} as const;

export const Tag = { canary: 'canary', stable: 'stable', active: 'active', preview: 'preview', ping: 'ping', pong: 'pong' } as const;

export function rolloutIcon(status: string): string {
  switch (status) {
    case 'Progressing':
      return Icon.progressing;
    case 'Error':
    case 'InvalidSpec':
      return Icon.warning;
    case 'Paused':
      return Icon.paused;
    case 'Healthy':
      return Icon.ok;
    case 'Degraded':
      return Icon.bad;
    case 'Unknown':
      return Icon.unknown;
    case 'ScaledDown':
      return Icon.neutral;
    default:
      return ' ';
  }
}

export function replicaSetIcon(status: string): string {
  switch (status) {
    case 'Progressing':
      return Icon.progressing;
    case 'Healthy':
      return Icon.ok;
    case 'ReplicaFailure':
      return Icon.bad;
    case 'ScaledDown':
      return Icon.neutral;
    default:
      return ' ';
  }
}

export function podIcon(status: string): string {
  if (status.startsWith('Init:')) return Icon.progressing;
  if (status.startsWith('Signal:') || status.startsWith('ExitCode:')) return Icon.bad;
  if (status.endsWith('Error') || status.startsWith('Err')) return Icon.warning;
  switch (status) {
    case 'Pending':
    case 'Terminating':
    case 'ContainerCreating':
      return Icon.progressing;
    case 'Running':
    case 'Completed':
      return Icon.ok;
    case 'Failed':
    case 'InvalidImageName':
    case 'CrashLoopBackOff':
      return Icon.bad;
    case 'ImagePullBackOff':
    case 'RegistryUnavailable':
      return Icon.warning;
    case 'Unknown':
      return Icon.unknown;
    default:
      return ' ';
  }
}

export function analysisIcon(phase: string): string {
  switch (phase) {
    case 'Successful':
      return Icon.ok;
    case 'Inconclusive':
      return Icon.unknown;
    case 'Failed':
      return Icon.bad;
    case 'Error':
      return Icon.warning;
    case 'Running':
      return Icon.progressing;
    case 'Pending':
      return Icon.waiting;
    default:
      return ' ';
  }
}

const FG = { red: 31, green: 32, yellow: 33, hiBlue: 94 } as const;

const COLOURS: Record<string, number> = {
  [Icon.waiting]: FG.yellow,
  [Icon.progressing]: FG.hiBlue,
  [Icon.warning]: FG.red,
  [Icon.unknown]: FG.yellow,
  [Icon.ok]: FG.green,
  [Icon.bad]: FG.red,
  [Tag.canary]: FG.yellow,
  [Tag.stable]: FG.green,
  [Tag.active]: FG.green,
  [Tag.preview]: FG.hiBlue,
  [Tag.ping]: FG.hiBlue,
  [Tag.pong]: FG.hiBlue,
  Pending: FG.hiBlue,
  Running: FG.hiBlue,
};

/** Wraps `text` in the ANSI colour Argo uses for `key` (an icon, a tag or a phase), if any. */
export function colourise(text: string, key: string, enabled: boolean): string {
  const code = COLOURS[key];
  return enabled && code !== undefined ? `\x1b[${code}m${text}\x1b[0m` : text;
}
