// The ValidatingWebhookConfiguration and MutatingWebhookConfiguration `ramp up` registers for
// its in-process webhook. Pure. The rules are those of docs/admission.md and the chart (main
// resources only, never a status subresource), with two differences that suit a dev session:
//
// - clientConfig.url https://127.0.0.1:PORT/… instead of a Service (the API server runs on this
//   machine; a Service would name a fictional ClusterIP);
// - failurePolicy Ignore everywhere: a session that ends without removing its configurations
//   (SIGKILL, a crash) leaves them pointing at a closed port, and with Ignore that blocks
//   nothing. While the session runs, the webhook answers, and its refusals are refusals:
//   Ignore only covers the webhook being unreachable. The controller's InvalidSpec condition
//   stays the backstop, as on a cluster without the webhook.
import type { V1MutatingWebhookConfiguration, V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';

/** Label on both configurations, so `kubectl get validatingwebhookconfigurations -l …` finds them. */
export const DEV_SESSION_LABEL = 'app.kubernetes.io/managed-by';
export const DEV_SESSION_LABEL_VALUE = 'ramp-up';
/** Annotation naming the process that registered them: `<hostname>/<pid>`. */
export const DEV_SESSION_ANNOTATION = 'ramp.dev/dev-session';

const MANAGED_BY_ROLLOUTS = 'argo-rollouts.argoproj.io/managed-by-rollouts';

export interface DevWebhookInput {
  /** Name of both configurations. */
  name: string;
  /** https://127.0.0.1:PORT of the webhook server. */
  url: string;
  /** base64 PEM of the CA that signed the serving certificate. */
  caBundle: string;
  /** Only this namespace (`ramp up --namespaced`); all namespaces but kube-system when undefined. */
  namespace?: string;
  /** `<hostname>/<pid>`. */
  session: string;
}

/** `ramp-dev`, or `ramp-dev-<namespace>` for a namespaced session, so sessions of different namespaces coexist. */
export function devConfigurationName(namespace: string | undefined): string {
  return namespace === undefined ? 'ramp-dev' : `ramp-dev-${namespace}`;
}

function namespaceSelector(namespace: string | undefined) {
  return namespace === undefined
    ? { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] }
    : { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
}

export function devWebhookConfigurations(input: DevWebhookInput): {
  validating: V1ValidatingWebhookConfiguration;
  mutating: V1MutatingWebhookConfiguration;
} {
  if (!/^https:\/\/127\.0\.0\.1:\d+$/.test(input.url)) throw new Error(`the dev webhook must listen on https://127.0.0.1:PORT, got ${input.url}`);
  const metadata = {
    name: input.name,
    labels: { [DEV_SESSION_LABEL]: DEV_SESSION_LABEL_VALUE },
    annotations: { [DEV_SESSION_ANNOTATION]: input.session },
  };
  const client = (path: string) => ({ url: `${input.url}${path}`, caBundle: input.caBundle });
  const common = () => ({
    namespaceSelector: namespaceSelector(input.namespace),
    matchPolicy: 'Equivalent',
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    failurePolicy: 'Ignore',
  });
  const namespaced = input.namespace !== undefined;
  const argoKinds = ['rollouts', 'experiments', 'analysistemplates', 'analysisruns'];
  const validating: V1ValidatingWebhookConfiguration = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata,
    webhooks: [
      {
        name: 'validate.ramp.dev',
        clientConfig: client('/validate'),
        // Cluster-scoped kinds ignore namespaceSelector, so a namespaced session leaves
        // ClusterAnalysisTemplates and RolloutPolicies alone.
        rules: namespaced
          ? [{ apiGroups: ['argoproj.io'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: argoKinds, scope: 'Namespaced' }]
          : [
              { apiGroups: ['argoproj.io'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: [...argoKinds, 'clusteranalysistemplates'], scope: '*' },
              { apiGroups: ['ramp.dev'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: ['rolloutpolicies'], scope: 'Cluster' },
            ],
        ...common(),
        timeoutSeconds: 5,
      },
    ],
  };
  const mutating: V1MutatingWebhookConfiguration = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata,
    webhooks: [
      {
        name: 'defaults.ramp.dev',
        clientConfig: client('/mutate'),
        rules: [{ apiGroups: ['argoproj.io'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: ['rollouts', 'experiments'], scope: 'Namespaced' }],
        reinvocationPolicy: 'IfNeeded',
        ...common(),
        timeoutSeconds: 5,
      },
      {
        name: 'managed.ramp.dev',
        clientConfig: client('/mutate-managed'),
        rules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['services'], scope: 'Namespaced' },
          { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['ingresses'], scope: 'Namespaced' },
        ],
        matchConditions: [
          {
            name: 'managed-by-a-rollout',
            expression: `has(oldObject.metadata.annotations) && '${MANAGED_BY_ROLLOUTS}' in oldObject.metadata.annotations`,
          },
        ],
        reinvocationPolicy: 'IfNeeded',
        ...common(),
        timeoutSeconds: 3,
      },
    ],
  };
  return { validating, mutating };
}
