import { Construct } from 'constructs';
import { DynamoTable } from '../../lib/constructs/dynamodb-table';
import { RestApi } from '../../lib/constructs/rest-api/rest-api';
import { ServiceRole } from '../../lib/constructs/service-role';
import {
  COMMENT_CLIENT_ERROR_TEMPLATE,
  COMMENT_CREATED_TEMPLATE,
  COMMENT_MODEL_SCHEMA,
  COMMENT_SERVER_ERROR_TEMPLATE,
  putCommentRequestTemplate,
  SELECTION_PATTERNS,
} from './templates';

export interface CommentApiProps {
  /** Physical API name; also prefixes the integration role's name. */
  readonly name: string;
  /** The table comments are written to. */
  readonly table: DynamoTable;
  /** Region of the table (the integration URI names it). */
  readonly region: string;
  readonly logRetentionDays: number;
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * `POST /comment`: API Gateway validates the body against a model and writes it to DynamoDB with
 * PutItem itself (no Lambda on the write path), through a role that may only put items in that
 * one table.
 */
export class CommentApi extends Construct {
  readonly api: RestApi;
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: CommentApiProps) {
    super(scope, id);
    this.api = new RestApi(this, 'Rest', {
      name: props.name,
      description: 'Comments: POST /comment stores a comment in DynamoDB (seed 000)',
      logRetentionDays: props.logRetentionDays,
      rateLimit: props.rateLimit,
      burstLimit: props.burstLimit,
    });

    this.role = new ServiceRole(this, 'PutItemRole', {
      name: `${props.name}-putitem`,
      service: 'apigateway.amazonaws.com',
      description: `Lets API ${props.name} store comments in ${props.table.node.id}`,
    });
    props.table.grant(this.role, 'dynamodb:PutItem');

    const model = this.api.addModel('Comment', COMMENT_MODEL_SCHEMA, 'A new comment: username and message');
    this.api.addMethod('POST', '/comment', {
      requestModel: model,
      integration: {
        type: 'AWS',
        uri: `arn:aws:apigateway:${props.region}:dynamodb:action/PutItem`,
        credentials: this.role.arn,
        requestTemplates: { 'application/json': putCommentRequestTemplate(props.table.name) },
        responses: [
          { statusCode: '201', selectionPattern: SELECTION_PATTERNS.success, responseTemplates: { 'application/json': COMMENT_CREATED_TEMPLATE } },
          { statusCode: '400', selectionPattern: SELECTION_PATTERNS.clientError, responseTemplates: { 'application/json': COMMENT_CLIENT_ERROR_TEMPLATE } },
          // The default: a DynamoDB 5xx, or any status nothing above matched, is never reported as success.
          { statusCode: '503', responseTemplates: { 'application/json': COMMENT_SERVER_ERROR_TEMPLATE } },
        ],
      },
    });
  }

  get url(): string {
    return this.api.url;
  }
}
