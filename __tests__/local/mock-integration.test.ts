import { mockIntegrationResponse } from '../../local/rest/mock-integration';

// A MOCK integration's request template renders {"statusCode": n}, which selects the integration
// response. https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
describe('MOCK integration', () => {
  it('takes the status from the rendered request template, with an empty payload', () => {
    expect(mockIntegrationResponse('{"statusCode": 200}')).toEqual({ status: 200, headers: {}, body: '' });
    expect(mockIntegrationResponse('{ "statusCode" : 404, "other": 1 }')?.status).toBe(404);
  });

  it('is a misconfiguration without an integer statusCode', () => {
    for (const rendered of ['', '{}', '{"statusCode": "200"}', '{"statusCode": 2.5}', 'not json']) expect(mockIntegrationResponse(rendered)).toBeUndefined();
  });
});
