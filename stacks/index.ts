import { App } from 'cdktf';
import { PipelinesConfig } from '../lib/config';
import { CommentsStack } from './comments/stack';
import { CustomersStack } from './customers/stack';
import { KinesisProxyStack } from './kinesis-proxy/stack';
import { KinesisPutRecordStack } from './kinesis-putrecord/stack';
import { StateBackendStack } from './state-backend/stack';
import { WebhookStack } from './webhook/stack';

/** Every stack of the app, in deployment order (state-backend first). */
export function buildStacks(app: App, config: PipelinesConfig): void {
  new StateBackendStack(app, config);
  new CustomersStack(app, config);
  new CommentsStack(app, config);
  new KinesisProxyStack(app, config);
  new KinesisPutRecordStack(app, config);
  new WebhookStack(app, config);
}
