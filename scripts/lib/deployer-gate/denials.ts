import { Protocol } from './operations';

/**
 * A refusal in the protocol of the refused request, so the SDK in Terraform's provider reads it
 * as the service's own AccessDenied and the apply fails with its message.
 * awsJson1_0/1_1: https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html#operation-error-serialization
 * awsQuery: https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization
 * restJson1 (Lambda, API Gateway): https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization
 * S3 (restXml): https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
export interface Denial {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** JSON services whose error type is not the plain shape name. */
const JSON_TYPES: Readonly<Record<string, { readonly type: string; readonly status: number; readonly headers?: Record<string, string> }>> = {
  dynamodb: { type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', status: 400 },
  // SQS's JSON protocol keeps its query error code for older clients (awsQueryCompatible).
  sqs: { type: 'com.amazon.coral.service#AccessDeniedException', status: 403, headers: { 'x-amzn-query-error': 'AccessDenied;Sender' } },
};

// SNS names this error AuthorizationError (https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html lists AccessDenied for the others).
const QUERY_CODES: Readonly<Record<string, string>> = { sns: 'AuthorizationError' };

export function denial(protocol: Protocol, service: string, message: string): Denial {
  const requestId = 'deployer-gate';
  switch (protocol) {
    case 'json': {
      const shape = JSON_TYPES[service] ?? { type: 'AccessDeniedException', status: 400 };
      return { status: shape.status, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, ...shape.headers }, body: JSON.stringify({ __type: shape.type, message }) };
    }
    case 'query':
      return {
        status: 403,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>${QUERY_CODES[service] ?? 'AccessDenied'}</Code><Message>${xml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'rest-json':
      return { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }, body: JSON.stringify({ Type: 'User', Message: message }) };
    case 'apigateway':
      return { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }, body: JSON.stringify({ message }) };
    case 's3':
      return { status: 403, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${xml(message)}</Message><RequestId>${requestId}</RequestId></Error>` };
  }
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
