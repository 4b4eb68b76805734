import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { errorResponse, HttpError, json, parseJsonBody, validate } from '../shared/http';
import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { Customer, customerIdPattern, customerInput, emailInput } from './customer';
import { newCustomerId } from './ids';
import { CustomerRepository } from './repository';

const logger = new Logger();
const repository = new CustomerRepository(getStringFromEnv({ key: 'TABLE_NAME' }), new DynamoDBClient({}));

// A freshly generated UUID colliding is astronomically unlikely; retrying a few times turns even
// that into a success instead of an error, and the conditional write guarantees no overwrite.
const CREATE_ATTEMPTS = 3;

type Route = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** Routes keyed by API Gateway resource template, then method. */
const routes: Record<string, Partial<Record<string, Route>>> = {
  '/health': { GET: async () => json(200, { status: 'ok' }) },
  '/customers': { POST: createCustomer },
  '/customers/{customerId}': { GET: getCustomer, PUT: updateCustomer },
  '/customers/{customerId}/email': { PUT: updateEmail, PATCH: updateEmail },
};

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const requestId = event.requestContext?.requestId;
  logger.appendKeys({ requestId });
  // Only the shape of the request is logged: bodies and headers carry customer data and the API key.
  logger.info('request', { method: event.httpMethod, resource: event.resource });
  try {
    const byMethod = routes[event.resource];
    if (!byMethod) throw new HttpError(404, `No route for ${event.httpMethod} ${event.path}`);
    const route = byMethod[event.httpMethod];
    if (!route) {
      const allowed = Object.keys(byMethod).join(', ');
      throw new HttpError(405, `Method ${event.httpMethod} is not allowed on ${event.resource}; use ${allowed}`, undefined, { Allow: allowed });
    }
    const response = await route(event);
    logger.info('response', { statusCode: response.statusCode });
    return response;
  } catch (error) {
    if (error instanceof HttpError) {
      logger.info('rejected', { statusCode: error.statusCode, reason: error.message });
      return errorResponse(error, requestId);
    }
    logger.error('unexpected failure', error as Error);
    return json(500, { message: 'Internal error; the request was not completed', requestId });
  }
};

async function createCustomer(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const input = validate(customerInput, parseJsonBody(event.body, event.isBase64Encoded), 'customer');
  const now = new Date().toISOString();
  for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
    const customer: Customer = { customerId: newCustomerId(), ...input, createdAt: now, updatedAt: now };
    if (await repository.create(customer)) {
      return json(201, customer, { Location: `${basePath(event)}/customers/${customer.customerId}` });
    }
    logger.warn('generated customerId already taken; retrying with a new one', { attempt });
  }
  return json(503, { message: 'Could not allocate a customer id; retry the request' });
}

async function getCustomer(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const customerId = pathCustomerId(event);
  const customer = await repository.get(customerId);
  if (!customer) throw new HttpError(404, `Customer ${customerId} not found`);
  return json(200, customer);
}

async function updateCustomer(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const customerId = pathCustomerId(event);
  const input = validate(customerInput, parseJsonBody(event.body, event.isBase64Encoded), 'customer');
  const updated = await repository.replace(customerId, input, new Date().toISOString());
  if (!updated) throw new HttpError(404, `Customer ${customerId} not found`);
  return json(200, updated);
}

async function updateEmail(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const customerId = pathCustomerId(event);
  const { email } = validate(emailInput, parseJsonBody(event.body, event.isBase64Encoded), 'e-mail update');
  const updated = await repository.updateEmail(customerId, email, new Date().toISOString());
  if (!updated) throw new HttpError(404, `Customer ${customerId} not found`);
  return json(200, updated);
}

function pathCustomerId(event: APIGatewayProxyEvent): string {
  const customerId = event.pathParameters?.customerId ?? '';
  if (!customerIdPattern.test(customerId)) {
    throw new HttpError(400, 'customerId must be a UUID as returned by POST /customers');
  }
  return customerId;
}

/** `/v1` on the default stage URL; empty behind a custom domain mapped without a stage. */
function basePath(event: APIGatewayProxyEvent): string {
  const stage = event.requestContext?.stage;
  return event.requestContext?.path?.startsWith(`/${stage}/`) ? `/${stage}` : '';
}
