import { ServiceCaller } from '../aws/service-call';
import { LocalResponse } from '../server/http-types';
import { HttpIntegration } from './definition';
import { evaluateExpression, HttpRequestData } from './request-data';

/**
 * The `SQS-SendMessage` first-class integration: its request parameters (QueueUrl, MessageBody,
 * and the optional DelaySeconds, MessageAttributes, MessageDeduplicationId, MessageGroupId,
 * MessageSystemAttributes, Region) are evaluated against the request and sent as one SendMessage
 * call, signed as the integration's role. A 2xx answer is passed through as API Gateway does,
 * `{"SendMessageResponse":{"ResponseMetadata":{...},"SendMessageResult":{...}}}`; SQS's 4xx status
 * and body pass through too.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html#SQS-SendMessage
 */
const PARAMETERS = ['QueueUrl', 'MessageBody', 'DelaySeconds', 'MessageAttributes', 'MessageDeduplicationId', 'MessageGroupId', 'MessageSystemAttributes', 'Region'] as const;

export async function sqsSendMessage(integration: HttpIntegration, data: HttpRequestData, services: ServiceCaller): Promise<LocalResponse> {
  const label = 'AWS_PROXY SQS-SendMessage';
  const input: Record<string, unknown> = {};
  for (const name of PARAMETERS) {
    const expression = integration.requestParameters[name];
    if (expression === undefined) continue;
    const value = evaluateExpression(expression, data);
    if (value === undefined) continue;
    input[name] = name === 'DelaySeconds' ? Number(value) : name === 'MessageAttributes' || name === 'MessageSystemAttributes' ? JSON.parse(value) : value;
  }
  delete input.Region;
  if (typeof input.QueueUrl !== 'string' || typeof input.MessageBody !== 'string' || input.MessageBody === '') {
    return { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Bad Request' }), integration: `${label} (missing QueueUrl or MessageBody)` };
  }
  if (!integration.credentialsArn) return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Internal Server Error' }), integration: label };
  const response = await services.call({ service: 'sqs', action: 'SendMessage' }, integration.credentialsArn, JSON.stringify(input));
  if (response.status >= 300) {
    return { status: response.status, headers: { 'content-type': response.headers['content-type'] ?? 'application/json' }, body: response.body, integration: `${label} -> ${response.status}` };
  }
  const result = JSON.parse(response.body) as Record<string, unknown>;
  const body = {
    SendMessageResponse: {
      ResponseMetadata: { RequestId: response.headers['x-amzn-requestid'] ?? data.context.requestId },
      SendMessageResult: {
        MD5OfMessageAttributes: result.MD5OfMessageAttributes ?? null,
        MD5OfMessageBody: result.MD5OfMessageBody ?? null,
        MD5OfMessageSystemAttributes: result.MD5OfMessageSystemAttributes ?? null,
        MessageId: result.MessageId ?? null,
        SequenceNumber: result.SequenceNumber ?? null,
      },
    },
  };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), integration: label };
}
