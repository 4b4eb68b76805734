import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { PipelinesConfig } from '../../lib/config';
import { apiDefaults, PipelineStack, usagePlanLimits } from '../../lib/pipeline-stack';
import { ApiKeyUsagePlan } from '../../lib/constructs/api-key-usage-plan';
import { KinesisRestProxy } from '../../lib/constructs/kinesis-rest-proxy/kinesis-rest-proxy';
import { RestApi } from '../../lib/constructs/rest-api/rest-api';

export const KINESIS_PUTRECORD_STACK = 'apigw-kinesis-putrecord';

/**
 * Seed 002: `PUT /{stream-name}` writes one record to one of the streams this stack creates, a direct
 * Kinesis PutRecord integration. API key with a usage plan: producers are applications without AWS
 * credentials, and the plan caps each key's rate and daily volume.
 */
export class KinesisPutRecordStack extends PipelineStack {
  constructor(scope: Construct, config: PipelinesConfig) {
    super(scope, KINESIS_PUTRECORD_STACK, { config, shortName: 'kput' });

    const api = new RestApi(this, 'Api', {
      name: `${this.namePrefix}-api`,
      description: 'Kinesis PutRecord API (seed 002)',
      ...apiDefaults(config),
    });
    const proxy = new KinesisRestProxy(this, 'Kinesis', {
      api,
      namePrefix: this.namePrefix,
      streams: config.putRecordStreams,
      region: config.region,
      access: 'API_KEY',
    });
    proxy.addRoute('PUT', '/{stream-name}', 'PutRecord');

    const clients = new ApiKeyUsagePlan(this, 'Clients', {
      api,
      name: `${this.namePrefix}-clients`,
      ...usagePlanLimits(config),
    });

    new TerraformOutput(this, 'api_url', { value: api.url, description: 'Base URL of the PutRecord API stage' });
    new TerraformOutput(this, 'streams', {
      value: proxy.streamNames,
      description: 'Stream names to use in URLs, and the Kinesis streams they map to',
    });
    new TerraformOutput(this, 'api_key_id', { value: clients.keyId, description: 'Id of the API key (not the secret value)' });
    new TerraformOutput(this, 'api_key_value', {
      value: clients.keyValue,
      sensitive: true,
      description: 'The x-api-key value; read it with `terraform output -raw api_key_value` in the stack directory',
    });
  }
}
