import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { credentialsMatch, parseBasicAuthorization, storedCredentials } from './credentials';

const logger = new Logger();
const secrets = new SecretsProvider();
const secretId = getStringFromEnv({ key: 'SECRET_ID' });
// Seconds a warm function keeps the secret: one Secrets Manager call per container and period, not
// one per request. After a rotation the new password is accepted within this many seconds.
const maxAge = positiveWholeSeconds(getNumberFromEnv({ key: 'SECRET_MAX_AGE_SECONDS', defaultValue: 300 }));

type Result = APIGatewaySimpleAuthorizerResult | APIGatewaySimpleAuthorizerWithContextResult<{ username: string }>;

const DENY: APIGatewaySimpleAuthorizerResult = { isAuthorized: false };

/**
 * Basic-auth check for the HTTP API. Every problem with the request is a denial (403), never an
 * exception; only an unreadable secret throws (API Gateway answers 500), since that is our fault,
 * not the caller's. Credentials are never logged, not even the username presented.
 */
export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<Result> => {
  logger.appendKeys({ requestId: event.requestContext?.requestId, routeKey: event.routeKey });
  const presented = parseBasicAuthorization(headerValue(event.headers, 'authorization'));
  if (!presented) {
    logger.info('denied', { reason: 'missing, malformed or non-Basic Authorization header' });
    return DENY;
  }
  const expected = storedCredentials.parse(await secrets.get(secretId, { maxAge, transform: 'json' }));
  if (!credentialsMatch(presented, expected)) {
    logger.info('denied', { reason: 'credentials do not match' });
    return DENY;
  }
  logger.info('allowed');
  return { isAuthorized: true, context: { username: expected.username } };
};

/** Payload 2.0 lowercases header names; a test or another caller may not. */
function headerValue(headers: Record<string, string | undefined> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function positiveWholeSeconds(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`SECRET_MAX_AGE_SECONDS must be a positive whole number of seconds, got ${seconds}.`);
  }
  return seconds;
}
