// The admission webhook: express over HTTPS, thin around functions/admission.
export { createWebhookApp, DEFAULT_BODY_LIMIT_BYTES, ENDPOINTS, type Readiness, type WebhookDependencies } from './app.ts';
export { WebhookMetrics } from './metrics.ts';
export { DEFAULT_TIMEOUTS, startWebhookServer, type WebhookServer, type WebhookServerOptions } from './server.ts';
export {
  clusterNamespaceLabels,
  clusterPolicySource,
  clusterRolloutLookup,
  type NamespaceLabelSource,
  type PolicySource,
  staticNamespaceLabels,
  staticPolicySource,
} from './sources.ts';
export { loadTlsPair, TlsFiles, type TlsPair } from './tls-files.ts';
