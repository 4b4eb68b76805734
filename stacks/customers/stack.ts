import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { PipelinesConfig } from '../../lib/config';
import { apiDefaults, PipelineStack, usagePlanLimits } from '../../lib/pipeline-stack';
import { ApiKeyUsagePlan } from '../../lib/constructs/api-key-usage-plan';
import { DynamoTable } from '../../lib/constructs/dynamodb-table';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { HttpMethod, RestApi } from '../../lib/constructs/rest-api/rest-api';

export const CUSTOMERS_STACK = 'apigw-lambda-dynamodb-customers';

/**
 * Seed 004: a customer-details REST API. API key on every customer route, one TypeScript handler
 * behind Lambda proxy integrations, one DynamoDB table keyed by customerId.
 */
export class CustomersStack extends PipelineStack {
  constructor(scope: Construct, config: PipelinesConfig) {
    super(scope, CUSTOMERS_STACK, { config, shortName: 'customers' });

    const table = new DynamoTable(this, 'Customers', {
      name: `${this.namePrefix}-customers`,
      partitionKey: 'customerId',
      deletionProtection: config.environment === 'prod',
    });

    const handler = new NodejsFunction(this, 'Handler', {
      functionName: `${this.namePrefix}-api`,
      entry: 'lambdas/customers/handler.ts',
      description: 'Customer details API: health, create, get, update, update e-mail',
      logRetentionDays: config.logRetentionDays,
      environment: { TABLE_NAME: table.name },
    });
    table.grant(handler, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');

    const api = new RestApi(this, 'Api', {
      name: `${this.namePrefix}-api`,
      description: 'Customer details API (seed 004)',
      ...apiDefaults(config),
    });
    const integration = { type: 'LAMBDA_PROXY', function: handler } as const;

    // Each path also gets ANY, routed to the same handler, so another method on a known path is
    // answered 405 with an Allow header instead of API Gateway's misleading 403.
    const routes: [HttpMethod[], string, boolean][] = [
      [['GET', 'ANY'], '/health', false],
      [['POST', 'ANY'], '/customers', true],
      [['GET', 'PUT', 'ANY'], '/customers/{customerId}', true],
      [['PUT', 'PATCH', 'ANY'], '/customers/{customerId}/email', true],
    ];
    for (const [methods, path, apiKeyRequired] of routes) {
      for (const method of methods) {
        api.addMethod(method, path, { integration, apiKeyRequired });
      }
    }

    const clients = new ApiKeyUsagePlan(this, 'Clients', {
      api,
      name: `${this.namePrefix}-clients`,
      ...usagePlanLimits(config),
    });

    new TerraformOutput(this, 'api_url', { value: api.url, description: 'Base URL of the customer API stage' });
    new TerraformOutput(this, 'table_name', { value: table.name });
    new TerraformOutput(this, 'function_name', { value: handler.functionName });
    new TerraformOutput(this, 'api_key_id', { value: clients.keyId, description: 'Id of the API key (not the secret value)' });
    new TerraformOutput(this, 'api_key_value', {
      value: clients.keyValue,
      sensitive: true,
      description: 'The x-api-key value; read it with `terraform output -raw api_key_value` in the stack directory',
    });
  }
}
