import { Construct } from 'constructs';
import { graph, metricAlarm, MonitoredSection, MonitoringContext } from './monitoring';

/**
 * The one way an API (REST or HTTP) is monitored: the 5xx rate and the p99 latency as alarms;
 * requests, errors and latency as graphs. REST and HTTP APIs publish the same metrics under
 * different names and dimensions.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */
export interface ApiMetrics {
  /** `REST API` or `HTTP API`. */
  readonly kind: string;
  /** The API's name, for alarm names and descriptions. */
  readonly name: string;
  /** `{ApiName, Stage}` for a REST API, `{ApiId, Stage}` for an HTTP API. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** `5XXError`/`4XXError` on REST APIs, `5xx`/`4xx` on HTTP APIs. */
  readonly serverErrorMetric: string;
  readonly clientErrorMetric: string;
  /** Where to look first when the API fails. */
  readonly logGroupName: string;
}

export function monitorApi(scope: Construct, context: MonitoringContext, api: ApiMetrics): MonitoredSection {
  const t = context.thresholds;
  const metric = (metricName: string, stat: string, label: string) => ({ namespace: 'AWS/ApiGateway', metricName, dimensions: api.dimensions, stat, label });
  // API Gateway emits no data point for a minute without requests: no traffic is not an outage.
  const treatMissingData = 'notBreaching';
  const alarms = [
    metricAlarm(scope, 'ServerErrorRateAlarm', {
      ...metric(api.serverErrorMetric, 'Average', ''),
      alarmName: `${api.name}-5xx-rate`,
      description: `${t.api5xxPercent}% or more of the requests to ${api.name} were answered 5xx in 3 of the last 5 minutes. First check: errorMessage and integrationStatus in the access log ${api.logGroupName}, then the integration target (function errors, throttling, permissions).`,
      // The average of a 0-or-1-per-request metric is the share of requests that failed.
      stat: 'Average',
      periodSeconds: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      threshold: t.api5xxPercent / 100,
      comparison: 'GreaterThanOrEqualToThreshold',
      treatMissingData,
    }),
    metricAlarm(scope, 'LatencyAlarm', {
      ...metric('Latency', 'p99', ''),
      alarmName: `${api.name}-p99-latency`,
      description: `p99 latency of ${api.name} reached ${t.apiLatencyP99Ms} ms over 5 minutes. First check: IntegrationLatency on the dashboard (slow target, or API Gateway itself), then the slowest X-Ray traces.`,
      periodSeconds: 300,
      evaluationPeriods: 1,
      threshold: t.apiLatencyP99Ms,
      comparison: 'GreaterThanOrEqualToThreshold',
      treatMissingData,
    }),
  ];
  return {
    title: `${api.kind} ${api.name}`,
    alarms,
    widgets: [
      graph(context, 'Requests and errors', [metric('Count', 'Sum', 'requests'), metric(api.clientErrorMetric, 'Sum', '4xx'), metric(api.serverErrorMetric, 'Sum', '5xx')]),
      graph(context, '5xx rate', [metric(api.serverErrorMetric, 'Average', 'share of requests')], { label: 'alarm', value: t.api5xxPercent / 100 }),
      graph(context, 'Latency (ms)', [metric('Latency', 'p50', 'p50'), metric('Latency', 'p99', 'p99'), metric('IntegrationLatency', 'p99', 'integration p99')], {
        label: 'alarm',
        value: t.apiLatencyP99Ms,
      }),
    ],
  };
}
