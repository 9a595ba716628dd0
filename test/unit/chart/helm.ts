// Runs the helm binary built by test/cluster/build-helm.sh against charts/ramp, and parses what
// it renders. A missing binary is an error that says how to build it: chart tests never skip.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const chartDir = join(repoRoot, 'charts', 'ramp');
export const buildScript = join(repoRoot, 'test', 'cluster', 'build-helm.sh');

/** The version build-helm.sh pins (its `HELM_VERSION=` line). */
export function helmVersion(): string {
  const line = /^HELM_VERSION=(\S+)$/m.exec(readFileSync(buildScript, 'utf8'));
  if (!line) throw new Error(`${buildScript} has no HELM_VERSION=… line`);
  return line[1]!;
}

export function helmBinary(): string {
  const cache = process.env['RAMP_CACHE_DIR'] ?? join(homedir(), '.cache', 'ramp');
  const path = join(cache, `helm-${helmVersion()}`, 'bin', 'helm');
  if (!existsSync(path)) {
    throw new Error(`helm ${helmVersion()} is not built (${path} is missing): run "bash test/cluster/build-helm.sh" first; it builds helm from the Go module proxy into that cache (about 5 minutes the first time)`);
  }
  return path;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs helm with `args`; `stdin` is passed as its standard input (values with `-f -`). Without
 * `kubeconfig` helm gets none (lint and template need no cluster); helm's own cache, config and
 * data directories live under the temporary directory, never in the home directory.
 */
export function helm(args: readonly string[], stdin?: string, options: { kubeconfig?: string } = {}): HelmResult {
  const scratch = join(process.env['TMPDIR'] ?? '/tmp', 'ramp-helm');
  const result = spawnSync(helmBinary(), args, {
    input: stdin ?? '',
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 32 * 1024 * 1024,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? homedir(),
      HELM_CACHE_HOME: join(scratch, 'cache'),
      HELM_CONFIG_HOME: join(scratch, 'config'),
      HELM_DATA_HOME: join(scratch, 'data'),
      KUBECONFIG: options.kubeconfig ?? '/dev/null',
    },
  });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** A rendered Kubernetes object, loosely typed for assertions. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, any>;

export interface RenderOptions {
  release?: string;
  namespace?: string;
  includeCrds?: boolean;
}

const rendered = new Map<string, string>();

/**
 * `helm template` of charts/ramp with `values` (as JSON on stdin); the raw YAML text. The same
 * values and options render once per process (the chart is fixed during a test run; generating
 * the webhook's CA and certificate is most of a render's cost).
 */
export function renderText(values: object = {}, options: RenderOptions = {}): string {
  const key = JSON.stringify([values, options]);
  const cached = rendered.get(key);
  if (cached !== undefined) return cached;
  const args = ['template', options.release ?? 'ramp', chartDir, '--namespace', options.namespace ?? 'ramp-system', '-f', '-'];
  if (options.includeCrds) args.push('--include-crds');
  const result = helm(args, JSON.stringify(values));
  if (result.code !== 0) throw new Error(`helm template failed (exit ${result.code}) with values ${JSON.stringify(values)}:\n${result.stderr}`);
  rendered.set(key, result.stdout);
  return result.stdout;
}

/** `helm template` of charts/ramp, parsed: every document must be valid YAML holding an object. */
export function render(values: object = {}, options: RenderOptions = {}): Manifest[] {
  const text = renderText(values, options);
  const manifests: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`helm template rendered invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    manifests.push(value as Manifest);
  }
  return manifests;
}

/** helm template's failure message for `values` (throws when rendering succeeds). */
export function renderError(values: object, options: RenderOptions = {}): string {
  const args = ['template', options.release ?? 'ramp', chartDir, '--namespace', options.namespace ?? 'ramp-system', '-f', '-'];
  const result = helm(args, JSON.stringify(values));
  if (result.code === 0) throw new Error(`helm template accepted values it should refuse: ${JSON.stringify(values)}`);
  return result.stderr;
}

export function byKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

export function one(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  }
  return found[0]!;
}

/** The pod spec of a Deployment or CronJob. */
export function podSpec(workload: Manifest): Record<string, any> {
  return workload.kind === 'CronJob' ? workload['spec'].jobTemplate.spec.template.spec : workload['spec'].template.spec;
}

/** The value sets the tests render: each mode the chart documents. */
export const VARIANTS: Record<string, object> = {
  default: {},
  namespaced: { controller: { namespaced: true } },
  'job mode': { controller: { mode: 'cronjob' } },
  'job mode, namespaced': { controller: { mode: 'cronjob', namespaced: true } },
  'cert-manager': { webhook: { tls: { mode: 'certManager' } } },
  'own Secret': { webhook: { tls: { mode: 'secret', secret: { name: 'corp-tls', caBundle: Buffer.from('-----BEGIN CERTIFICATE-----\n').toString('base64') } } } },
  'network policies': { networkPolicy: { enabled: true } },
  'sharded (instance id)': { controller: { instanceId: 'shard-a' } },
  'no webhook': { webhook: { enabled: false } },
};
