import { ServiceResponse } from '../aws/service-call';

/**
 * A `MOCK` integration has no backend: its rendered request template must be JSON with an integer
 * `statusCode`, which selects the integration response as a backend's status would; the response
 * template then renders over an empty payload. Anything else is the API's misconfiguration.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
 */
export function mockIntegrationResponse(renderedRequest: string): ServiceResponse | undefined {
  let statusCode: unknown;
  try {
    statusCode = (JSON.parse(renderedRequest) as { statusCode?: unknown }).statusCode;
  } catch {
    return undefined;
  }
  return Number.isInteger(statusCode) ? { status: statusCode as number, headers: {}, body: '' } : undefined;
}
