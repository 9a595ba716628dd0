// One fresh namespace per test, removed when the test ends.
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { apiError, clients } from './cluster.ts';
import { waitFor } from './wait-for.ts';

export const testNamespaceLabel = 'ramp.dev/integration-test';

function slug(text: string, max: number): string {
  const s = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s.slice(0, max).replace(/-+$/, '') || 'test';
}

export interface NamespaceOptions {
  labels?: Record<string, string>;
  /** Wait until the namespace is gone after the test (default: only ask for deletion). */
  waitForDeletion?: boolean;
}

/**
 * Creates a namespace named after the test (`it-<test-name>-<random>`), waits for its default
 * ServiceAccount (pods cannot be created before it exists), and deletes it after the test.
 * Every namespace carries the label `ramp.dev/integration-test: "true"`; select one namespace
 * with `kubernetes.io/metadata.name: <name>`.
 */
export async function withNamespace(t: TestContext, opts: NamespaceOptions = {}): Promise<string> {
  const { core } = clients();
  const name = `it-${slug(t.name, 40)}-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name, labels: { [testNamespaceLabel]: 'true', ...opts.labels } } } });
  t.after(async () => {
    try {
      await core.deleteNamespace({ name, propagationPolicy: 'Background' });
    } catch (error) {
      if (apiError(error).code !== 404) throw error;
    }
    if (opts.waitForDeletion) {
      await waitFor(
        async () => {
          try {
            await core.readNamespace({ name });
            return false;
          } catch (error) {
            if (apiError(error).code === 404) return true;
            throw error;
          }
        },
        { what: `namespace ${name} to be deleted`, timeoutMs: 60_000 },
      );
    }
  });
  await waitFor(() => core.readNamespacedServiceAccount({ name: 'default', namespace: name }), {
    what: `the default ServiceAccount of namespace ${name} (created by kube-controller-manager)`,
    timeoutMs: 30_000,
  });
  return name;
}
