// Metric providers of an analysis metric (reference §11.7): exactly one may be set per metric.
import Type, { type Static } from 'typebox';
import { PodTemplateMetadataSchema } from './meta.ts';
import { JobSpecSchema } from './pod-template.ts';
import { bool, durationString, enumString, freeFormObject, int64, intOrString, knownString, str, stringMap } from './primitives.ts';

export const WebMetricHeaderSchema = Type.Object({ key: str(), value: str() });
export type WebMetricHeader = Static<typeof WebMetricHeaderSchema>;

export const AuthenticationSchema = Type.Object(
  {
    sigv4: Type.Optional(
      Type.Object({ region: Type.Optional(str()), profile: Type.Optional(str()), roleArn: Type.Optional(str()) }, {
        description: 'AWS SigV4 signing (Amazon Managed Prometheus).',
      }),
    ),
    oauth2: Type.Optional(
      Type.Object(
        {
          tokenUrl: Type.Optional(str()),
          clientId: Type.Optional(str()),
          clientSecret: Type.Optional(str()),
          scopes: Type.Optional(Type.Array(Type.String())),
        },
        { description: 'OAuth2 client-credentials flow.' },
      ),
    ),
    basicAuth: Type.Optional(
      Type.Object({ username: Type.Optional(str()), password: Type.Optional(str()) }, { description: 'HTTP basic authentication.' }),
    ),
  },
  { description: 'How to authenticate against the metric source.' },
);
export type Authentication = Static<typeof AuthenticationSchema>;

export const PrometheusMetricSchema = Type.Object(
  {
    address: Type.Optional(str('Prometheus base URL; falls back to env ARGO_ROLLOUTS_PROMETHEUS_ADDRESS.')),
    query: Type.Optional(str('PromQL query; {{args.NAME}} placeholders are substituted.')),
    authentication: Type.Optional(AuthenticationSchema),
    timeout: Type.Optional(int64('Query timeout in seconds (default 30).')),
    insecure: Type.Optional(bool('Skip TLS verification.')),
    headers: Type.Optional(Type.Array(WebMetricHeaderSchema)),
    rangeQuery: Type.Optional(
      Type.Object(
        {
          start: Type.Optional(str('Expression evaluating to a time, e.g. now() - duration("1h").')),
          end: Type.Optional(str('Expression evaluating to a time.')),
          step: Type.Optional(durationString('Resolution of the range query.')),
        },
        { description: 'Run a range query instead of an instant query.' },
      ),
    ),
  },
  { description: 'Query Prometheus.' },
);
export type PrometheusMetric = Static<typeof PrometheusMetricSchema>;

export const WebMetricSchema = Type.Object(
  {
    url: str('URL to call; {{args.NAME}} placeholders are substituted.'),
    method: Type.Optional(knownString(['GET', 'POST', 'PUT'] as const, 'HTTP method (default GET).')),
    headers: Type.Optional(Type.Array(WebMetricHeaderSchema)),
    body: Type.Optional(str('Request body (POST and PUT only).')),
    jsonBody: Type.Optional(freeFormObject('JSON request body (POST and PUT only); sets Content-Type application/json.')),
    timeoutSeconds: Type.Optional(int64('Request timeout in seconds (default 10).')),
    jsonPath: Type.Optional(str('Kubernetes JSONPath selecting the result (default {$}).')),
    insecure: Type.Optional(bool('Skip TLS verification.')),
    authentication: Type.Optional(AuthenticationSchema),
  },
  { description: 'Call an HTTP endpoint and evaluate its JSON response.' },
);
export type WebMetric = Static<typeof WebMetricSchema>;

export const JobMetricSchema = Type.Object(
  {
    metadata: Type.Optional(PodTemplateMetadataSchema),
    spec: JobSpecSchema,
  },
  { description: 'Run a Job; the measurement succeeds when the Job completes and fails when it fails.' },
);
export type JobMetric = Static<typeof JobMetricSchema>;

export const DatadogMetricSchema = Type.Object(
  {
    interval: Type.Optional(Type.String({ default: '5m', description: 'Time window of the query (v1 only).' })),
    query: Type.Optional(str('A single query; exclusive with queries.')),
    queries: Type.Optional(stringMap('Named queries combined by formula (v2 only).')),
    formula: Type.Optional(str('Formula over the named queries (v2 only).')),
    apiVersion: Type.Optional(enumString(['v1', 'v2'] as const, { default: 'v1', description: 'Datadog API version.' })),
    aggregator: Type.Optional(
      enumString(['avg', 'min', 'max', 'sum', 'last', 'percentile', 'mean', 'l2norm', 'area'] as const, {
        description: 'Aggregator of metric queries (v2 only).',
      }),
    ),
    secretRef: Type.Optional(
      Type.Object(
        { name: Type.Optional(str()), namespaced: Type.Optional(bool('Read the secret from the AnalysisRun namespace.')) },
        { description: 'Secret holding the Datadog API and app keys.' },
      ),
    ),
    requestTimeout: Type.Optional(Type.String({ default: '10s', description: 'Timeout of the Datadog API call.' })),
  },
  { description: 'Query Datadog.' },
);
export type DatadogMetric = Static<typeof DatadogMetricSchema>;

export const NewRelicMetricSchema = Type.Object(
  {
    profile: Type.Optional(str('Secret name holding the New Relic account credentials.')),
    query: str('NRQL query.'),
    timeout: Type.Optional(int64('Query timeout in seconds.')),
  },
  { description: 'Query New Relic.' },
);
export type NewRelicMetric = Static<typeof NewRelicMetricSchema>;

const addressAndQuery = {
  address: Type.Optional(str('Base URL of the metric source.')),
  query: Type.Optional(str('Query; {{args.NAME}} placeholders are substituted.')),
};

export const WavefrontMetricSchema = Type.Object(addressAndQuery, { description: 'Query Wavefront.' });
export type WavefrontMetric = Static<typeof WavefrontMetricSchema>;

export const GraphiteMetricSchema = Type.Object(addressAndQuery, { description: 'Query Graphite.' });
export type GraphiteMetric = Static<typeof GraphiteMetricSchema>;

export const SkyWalkingMetricSchema = Type.Object(
  { ...addressAndQuery, interval: Type.Optional(durationString('Time window of the query.')) },
  { description: 'Query Apache SkyWalking.' },
);
export type SkyWalkingMetric = Static<typeof SkyWalkingMetricSchema>;

export const InfluxdbMetricSchema = Type.Object(
  {
    profile: Type.Optional(str('Secret name holding the InfluxDB address and token.')),
    query: Type.Optional(str('Flux query.')),
  },
  { description: 'Query InfluxDB.' },
);
export type InfluxdbMetric = Static<typeof InfluxdbMetricSchema>;

export const CloudWatchMetricDataQuerySchema = Type.Object({
  id: Type.Optional(str()),
  expression: Type.Optional(str()),
  label: Type.Optional(str()),
  metricStat: Type.Optional(
    Type.Object({
      metric: Type.Optional(
        Type.Object({
          dimensions: Type.Optional(Type.Array(Type.Object({ name: Type.Optional(str()), value: Type.Optional(str()) }))),
          metricName: Type.Optional(str()),
          namespace: Type.Optional(str()),
        }),
      ),
      period: Type.Optional(intOrString('Period in seconds.')),
      stat: Type.Optional(str()),
      unit: Type.Optional(str()),
    }),
  ),
  period: Type.Optional(intOrString('Period in seconds.')),
  returnData: Type.Optional(Type.Boolean()),
});
export type CloudWatchMetricDataQuery = Static<typeof CloudWatchMetricDataQuerySchema>;

export const CloudWatchMetricSchema = Type.Object(
  {
    interval: Type.Optional(durationString('Time window of the query.')),
    metricDataQueries: Type.Array(CloudWatchMetricDataQuerySchema),
  },
  { description: 'Query AWS CloudWatch GetMetricData.' },
);
export type CloudWatchMetric = Static<typeof CloudWatchMetricSchema>;

export const KayentaScopeDetailSchema = Type.Object({
  scope: str(),
  region: str(),
  step: int64(),
  start: Type.Optional(str()),
  end: Type.Optional(str()),
});
export type KayentaScopeDetail = Static<typeof KayentaScopeDetailSchema>;

export const KayentaMetricSchema = Type.Object(
  {
    address: str(),
    application: str(),
    canaryConfigName: str(),
    metricsAccountName: str(),
    configurationAccountName: str(),
    storageAccountName: str(),
    threshold: Type.Object({ pass: int64(), marginal: int64() }),
    scopes: Type.Array(
      Type.Object({ name: str(), controlScope: KayentaScopeDetailSchema, experimentScope: KayentaScopeDetailSchema }),
    ),
    lookback: Type.Optional(Type.Boolean()),
  },
  { description: 'Run a Kayenta canary judgement.' },
);
export type KayentaMetric = Static<typeof KayentaMetricSchema>;

export const MetricProviderSchema = Type.Object(
  {
    prometheus: Type.Optional(PrometheusMetricSchema),
    kayenta: Type.Optional(KayentaMetricSchema),
    web: Type.Optional(WebMetricSchema),
    datadog: Type.Optional(DatadogMetricSchema),
    wavefront: Type.Optional(WavefrontMetricSchema),
    newRelic: Type.Optional(NewRelicMetricSchema),
    job: Type.Optional(JobMetricSchema),
    cloudWatch: Type.Optional(CloudWatchMetricSchema),
    graphite: Type.Optional(GraphiteMetricSchema),
    influxdb: Type.Optional(InfluxdbMetricSchema),
    skywalking: Type.Optional(SkyWalkingMetricSchema),
    plugin: Type.Optional(freeFormObject('Metric provider plugins: plugin name → its configuration.')),
  },
  { description: 'Where the measurement comes from; exactly one provider.' },
);
export type MetricProvider = Static<typeof MetricProviderSchema>;
