import { App } from 'cdktf';
import { PipelinesConfig } from '../lib/config';
import { PipelineStack } from '../lib/pipeline-stack';
import { ApiGatewayAccountStack } from './apigw-account/stack';
import { CommentsStack } from './comments/stack';
import { CustomersStack } from './customers/stack';
import { KinesisProxyStack } from './kinesis-proxy/stack';
import { KinesisPutRecordStack } from './kinesis-putrecord/stack';
import { StateBackendStack } from './state-backend/stack';
import { WebhookStack } from './webhook/stack';

/**
 * Every stack of the app, in deployment order. The dependencies are what `cdktf deploy '*'` and
 * `cdktf destroy '*'` order by (cdktf runs stacks without dependencies all at once): the state
 * bucket before everything, whose backends live in it; the account's API Gateway CloudWatch role
 * before the REST APIs, whose stages cannot enable access logs without it. Destroy runs the other
 * way round. https://developer.hashicorp.com/terraform/cdktf/concepts/stacks (stack dependencies)
 */
export function buildStacks(app: App, config: PipelinesConfig): void {
  const stateBackend = new StateBackendStack(app, config);
  const apigwAccount = config.apigwAccountRole === 'manage' ? new ApiGatewayAccountStack(app, config) : undefined;
  apigwAccount?.addDependency(stateBackend);

  const restApis: PipelineStack[] = [
    new CustomersStack(app, config),
    new CommentsStack(app, config),
    new KinesisProxyStack(app, config),
    new KinesisPutRecordStack(app, config),
  ];
  const httpApis: PipelineStack[] = [new WebhookStack(app, config)];
  for (const stack of [...restApis, ...httpApis]) stack.addDependency(stateBackend);
  if (apigwAccount) for (const stack of restApis) stack.addDependency(apigwAccount);
}
