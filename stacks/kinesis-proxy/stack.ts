import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { PipelinesConfig } from '../../lib/config';
import { apiDefaults, PipelineStack } from '../../lib/pipeline-stack';
import { ApiInvokePolicy } from '../../lib/constructs/api-invoke-policy';
import { KinesisRestProxy } from '../../lib/constructs/kinesis-rest-proxy/kinesis-rest-proxy';
import { RestApi } from '../../lib/constructs/rest-api/rest-api';

export const KINESIS_PROXY_STACK = 'apigw-kinesis-proxy';

/**
 * Seed 001: a REST API in front of Kinesis: list the served streams, put a record, get a shard
 * iterator and read records, each a direct Kinesis integration. IAM (SigV4) authorization on every
 * route, because the API reads stream data: callers are IAM principals given `client_policy_arn`.
 */
export class KinesisProxyStack extends PipelineStack {
  constructor(scope: Construct, config: PipelinesConfig) {
    super(scope, KINESIS_PROXY_STACK, { config, shortName: 'kproxy' });

    const api = new RestApi(this, 'Api', {
      name: `${this.namePrefix}-api`,
      description: 'Kinesis proxy API (seed 001)',
      ...apiDefaults(config),
      // With IAM authorization API Gateway's 403 "Missing Authentication Token" also means "unsigned".
      unknownRouteIsNotFound: false,
    });
    const proxy = new KinesisRestProxy(this, 'Kinesis', {
      api,
      namePrefix: this.namePrefix,
      streams: config.proxyStreams,
      region: config.region,
      access: 'AWS_IAM',
    });
    proxy.addRoute('GET', '/streams', 'ListStreams');
    proxy.addRoute('GET', '/streams/{stream-name}/sharditerator', 'GetShardIterator');
    proxy.addRoute('PUT', '/streams/{stream-name}/record', 'PutRecord');
    proxy.addRoute('GET', '/streams/{stream-name}/records', 'GetRecords');

    const clients = new ApiInvokePolicy(this, 'Clients', {
      name: `${this.namePrefix}-clients`,
      description: 'Lets the holder call every route of the Kinesis proxy API',
      routeArns: () => proxy.routeArns(),
    });

    // Request path: API -> the streams it writes to and reads from.
    // Clients read the streams through the API too: a refused read is a 429 to them.
    const monitoring = this.addMonitoring([api, ...proxy.streams.map((s) => s.stream.alarmOnReadThrottling())]);
    new TerraformOutput(this, 'dashboard_name', { value: monitoring.dashboardName, description: 'CloudWatch dashboard of this pipeline' });
    new TerraformOutput(this, 'alarm_topic_arn', { value: monitoring.alarmTopicArn, description: 'SNS topic every alarm of this pipeline notifies' });
    new TerraformOutput(this, 'api_url', { value: api.url, description: 'Base URL of the Kinesis proxy API stage' });
    new TerraformOutput(this, 'streams', {
      value: proxy.streamNames,
      description: 'Stream names to use in URLs, and the Kinesis streams they map to',
    });
    new TerraformOutput(this, 'client_policy_arn', {
      value: clients.arn,
      description: 'Attach this policy to the IAM users or roles that may call the API',
    });
  }
}
