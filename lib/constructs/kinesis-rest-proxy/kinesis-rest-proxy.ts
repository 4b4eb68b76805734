import { Construct } from 'constructs';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import {
  KINESIS_CONTENT_TYPE,
  KINESIS_SERVER_ERROR_TEMPLATE,
  KinesisAction,
  KinesisCall,
  PUT_RECORD_SCHEMA,
  SERVED_STREAMS_REQUEST_TEMPLATE,
  ServedStream,
  kinesisClientErrorTemplate,
  kinesisRequestTemplate,
  kinesisSuccessTemplate,
  partitionOf,
  servedStreamsTemplate,
} from './templates';
import { EncryptedStream } from '../kinesis-stream';
import { ServiceRole } from '../service-role';
import { AwsServiceIntegration, HttpMethod, MockIntegration, RestApi } from '../rest-api/rest-api';

/** How every route of the proxy is protected: an API key (with a usage plan) or SigV4-signed IAM callers. */
export type KinesisApiAccess = 'API_KEY' | 'AWS_IAM';

export interface KinesisRestProxyProps {
  readonly api: RestApi;
  /** Prefix of physical names: streams are `<namePrefix>-<short name>`, the role `<namePrefix>-kinesis`. */
  readonly namePrefix: string;
  /** Short names of the streams to create and serve; clients use these in URLs. */
  readonly streams: readonly string[];
  /** Region of the API and the streams. */
  readonly region: string;
  /** Protection of every route; there is deliberately no unauthenticated option. */
  readonly access: KinesisApiAccess;
  /** Provisioned shards per stream. @default 1 */
  readonly shardCount?: number;
}

/** A stream this proxy created and serves. */
export interface ProxiedStream extends ServedStream {
  readonly stream: EncryptedStream;
}

/** The path parameter every stream route carries; the templates read it by this name. */
export const STREAM_PATH_PARAMETER = 'stream-name';

interface ActionShape {
  readonly usesStream: boolean;
  readonly requestParameters: Readonly<Record<string, boolean>>;
  readonly validatesBody: boolean;
}

const ACTIONS: Readonly<Record<KinesisAction, ActionShape>> = {
  ListStreams: { usesStream: false, requestParameters: {}, validatesBody: false },
  PutRecord: { usesStream: true, requestParameters: {}, validatesBody: true },
  GetShardIterator: {
    usesStream: true,
    requestParameters: {
      'method.request.querystring.shard-id': true,
      'method.request.querystring.iterator-type': false,
      'method.request.querystring.sequence-number': false,
    },
    validatesBody: false,
  },
  GetRecords: { usesStream: true, requestParameters: { 'method.request.header.Shard-Iterator': true }, validatesBody: false },
};

const SHORT_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * Routes of a REST API that call Kinesis actions directly (no Lambda), on KMS-encrypted streams the
 * construct creates. API Gateway calls Kinesis with a role that may run exactly the routed actions
 * on exactly these streams. Every route is authenticated; Kinesis errors become 4xx/5xx with a JSON
 * message (never 200), and a stream name the API does not serve is a 404 that never reaches a stream.
 */
export class KinesisRestProxy extends Construct {
  readonly streams: readonly ProxiedStream[];
  readonly role: ServiceRole;
  private readonly api: RestApi;
  private readonly props: KinesisRestProxyProps;
  private readonly granted = new Set<KinesisAction>();
  private readonly routes: { readonly method: HttpMethod; readonly path: string }[] = [];
  private recordModel?: ApiGatewayModel;

  constructor(scope: Construct, id: string, props: KinesisRestProxyProps) {
    super(scope, id);
    const invalid = props.streams.filter((s) => !SHORT_NAME.test(s));
    if (props.streams.length === 0 || invalid.length > 0 || new Set(props.streams).size !== props.streams.length) {
      throw new Error(
        `KinesisRestProxy ${this.node.path}: streams must be 1 or more distinct short names of lowercase letters, digits or hyphens (got ${JSON.stringify(props.streams)}). Fix the stream list in the configuration.`,
      );
    }
    this.api = props.api;
    this.props = props;
    this.streams = props.streams.map((shortName) => {
      const physicalName = `${props.namePrefix}-${shortName}`;
      const stream = new EncryptedStream(this, `Stream-${shortName}`, { name: physicalName, shardCount: props.shardCount });
      return { shortName, physicalName, stream };
    });
    this.role = new ServiceRole(this, 'Role', {
      name: `${props.namePrefix}-kinesis`,
      service: 'apigateway.amazonaws.com',
      description: `API Gateway calls Kinesis for ${props.namePrefix}: only the routed actions, only its own streams`,
    });
  }

  /** Short name (as used in URLs) -> physical stream name, for every served stream. */
  get streamNames(): Record<string, string> {
    return Object.fromEntries(this.streams.map((s) => [s.shortName, s.physicalName]));
  }

  /** Routes `httpMethod path` to a Kinesis action. Stream actions need `{stream-name}` in the path. */
  addRoute(httpMethod: HttpMethod, path: string, action: KinesisAction): ApiGatewayMethod {
    const shape = ACTIONS[action];
    const hasStreamParameter = path.includes(`{${STREAM_PATH_PARAMETER}}`);
    if (shape.usesStream !== hasStreamParameter) {
      throw new Error(
        `KinesisRestProxy ${this.node.path}: ${httpMethod} ${path} routes ${action}, so its path must ${shape.usesStream ? '' : 'not '}contain {${STREAM_PATH_PARAMETER}}.`,
      );
    }
    this.grant(action);
    this.routes.push({ method: httpMethod, path });
    const requestParameters = {
      ...(shape.usesStream ? { [`method.request.path.${STREAM_PATH_PARAMETER}`]: true } : {}),
      ...shape.requestParameters,
    };
    return this.api.addMethod(httpMethod, path, {
      integration: this.integration(action),
      apiKeyRequired: this.props.access === 'API_KEY',
      authorization: this.props.access === 'AWS_IAM' ? 'AWS_IAM' : 'NONE',
      requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      requestModel: shape.validatesBody ? this.putRecordModel() : undefined,
    });
  }

  /** `execute-api` ARNs of every route added so far (for an IAM policy of callers). */
  routeArns(): string[] {
    return this.routes.map((r) => this.api.executeArn(r.method, r.path));
  }

  private integration(action: KinesisAction): AwsServiceIntegration | MockIntegration {
    if (action === 'ListStreams') {
      return {
        type: 'MOCK',
        requestTemplates: { 'application/json': SERVED_STREAMS_REQUEST_TEMPLATE },
        responses: [{ statusCode: '200', responseTemplates: { 'application/json': servedStreamsTemplate(this.streams) } }],
      };
    }
    return this.kinesisIntegration(action);
  }

  private kinesisIntegration(action: KinesisCall): AwsServiceIntegration {
    const region = this.props.region;
    return {
      type: 'AWS',
      uri: `arn:${partitionOf(region)}:apigateway:${region}:kinesis:action/${action}`,
      credentials: this.role.arn,
      requestParameters: { 'integration.request.header.Content-Type': `'${KINESIS_CONTENT_TYPE}'` },
      requestTemplates: { 'application/json': kinesisRequestTemplate(action, this.streams, region) },
      responses: [
        { statusCode: '200', responseTemplates: { 'application/json': kinesisSuccessTemplate(action) } },
        // Kinesis answers every client error with 400; the template refines 404/403/429 from its type.
        { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': kinesisClientErrorTemplate(action, this.streams) } },
        { statusCode: '502', selectionPattern: '5\\d{2}', responseTemplates: { 'application/json': KINESIS_SERVER_ERROR_TEMPLATE } },
      ],
    };
  }

  private grant(action: KinesisAction): void {
    // Listing the served streams calls nothing: no right to grant.
    if (action === 'ListStreams' || this.granted.has(action)) return;
    this.granted.add(action);
    for (const served of this.streams) served.stream.grant(this.role, `kinesis:${action}`);
  }

  private putRecordModel(): ApiGatewayModel {
    this.recordModel ??= this.api.addModel('KinesisRecord', PUT_RECORD_SCHEMA, 'A record to put: {"Data": <any JSON>, "PartitionKey": "<1-256 characters>"}');
    return this.recordModel;
  }
}
