import { App } from 'cdktf';
import { PipelinesConfig } from '../lib/config';
import { CommentsStack } from './apigw-dynamodb-kinesis-lambda';
import { CustomersStack } from './apigw-lambda-dynamodb-customers';
import { KinesisProxyStack } from './apigw-kinesis-proxy';
import { KinesisPutRecordStack } from './apigw-kinesis-putrecord';
import { StateBackendStack } from './state-backend';
import { WebhookStack } from './apigw-sqs-lambda-dynamodb';

/** Every stack of the app, in deployment order (state-backend first). */
export function buildStacks(app: App, config: PipelinesConfig): void {
  new StateBackendStack(app, config);
  new CustomersStack(app, config);
  new CommentsStack(app, config);
  new KinesisProxyStack(app, config);
  new KinesisPutRecordStack(app, config);
  new WebhookStack(app, config);
}
