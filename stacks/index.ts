import { App } from 'cdktf';
import { PipelinesConfig } from '../lib/config';
import { CommentsStack } from './apigw-dynamodb-kinesis-lambda';
import { CustomersStack } from './apigw-lambda-dynamodb-customers';
import { StateBackendStack } from './state-backend';

/** Every stack of the app, in deployment order (state-backend first). */
export function buildStacks(app: App, config: PipelinesConfig): void {
  new StateBackendStack(app, config);
  new CustomersStack(app, config);
  new CommentsStack(app, config);
}
