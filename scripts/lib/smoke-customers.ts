import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { call, expectStatus } from './smoke-http';
import { expectThat, SmokeRun } from './smoke-runner';
import { outputString, SmokeTarget } from './smoke-target';

export const CUSTOMERS = 'apigw-lambda-dynamodb-customers';

/** Customer API contract (README "Customer details API"): create, read, update, change e-mail; documented refusals. */
export async function smokeCustomers(run: SmokeRun, target: SmokeTarget): Promise<void> {
  const p = CUSTOMERS;
  const outputs = await run.step(p, 'read stack outputs', () => target.outputs(p));
  if (!outputs) return;
  const api = outputString(outputs, 'api_url', p);
  const key = outputString(outputs, 'api_key_value', p);
  const json = { 'content-type': 'application/json', 'x-api-key': key };
  const dynamodb = new DynamoDBClient(target.clientConfig);

  await run.step(p, 'GET /health → 200', async () => {
    const r = await call(`${api}/health`);
    expectStatus(r, 200);
    expectThat(r.json().status === 'ok', `unexpected body ${r.text}`);
  });
  const id = await run.step(p, 'POST /customers → 201 with Location', async () => {
    const r = await call(`${api}/customers`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'Smoke Test', email: 'smoke@example.com', phone: '+4930123456' }) });
    expectStatus(r, 201);
    const customerId = r.json().customerId as string;
    expectThat(r.headers.get('location')?.endsWith(`/customers/${customerId}`) === true, `Location header is ${r.headers.get('location')}`);
    run.onCleanup(`delete customer ${customerId}`, () =>
      dynamodb.send(new DeleteItemCommand({ TableName: outputString(outputs, 'table_name', p), Key: { customerId: { S: customerId } } })),
    );
    return customerId;
  });
  if (id) {
    await run.step(p, 'GET /customers/{id} → 200, the stored customer', async () => {
      const r = await call(`${api}/customers/${id}`, { headers: { 'x-api-key': key } });
      expectStatus(r, 200);
      expectThat(r.json().email === 'smoke@example.com', `read back ${r.text}`);
    });
    await run.step(p, 'PUT /customers/{id} → 200, replaced', async () => {
      const r = await call(`${api}/customers/${id}`, { method: 'PUT', headers: json, body: JSON.stringify({ name: 'Smoke Renamed', email: 'smoke.renamed@example.com' }) });
      expectStatus(r, 200);
      expectThat(r.json().name === 'Smoke Renamed', `updated ${r.text}`);
    });
    await run.step(p, 'PATCH /customers/{id}/email → 200, e-mail changed', async () => {
      const r = await call(`${api}/customers/${id}/email`, { method: 'PATCH', headers: json, body: JSON.stringify({ email: 'smoke@example.org' }) });
      expectStatus(r, 200);
      const again = await call(`${api}/customers/${id}`, { headers: { 'x-api-key': key } });
      expectThat(again.json().email === 'smoke@example.org', `after the change: ${again.text}`);
    });
    await run.step(p, 'DELETE /customers/{id} → 405 with Allow', async () => {
      const r = await call(`${api}/customers/${id}`, { method: 'DELETE', headers: { 'x-api-key': key } });
      expectStatus(r, 405);
      expectThat((r.headers.get('allow') ?? '').includes('GET'), `Allow: ${r.headers.get('allow')}`);
    });
  }
  await run.step(p, 'POST /customers with a bad e-mail → 400', async () => {
    const r = await call(`${api}/customers`, { method: 'POST', headers: json, body: '{"name":"x","email":"nope"}' });
    expectStatus(r, 400);
  });
  await run.step(p, 'POST /customers with broken JSON → 400', async () => {
    expectStatus(await call(`${api}/customers`, { method: 'POST', headers: json, body: '{"name":' }), 400);
  });
  await run.step(p, 'GET an unknown customer → 404', async () => {
    expectStatus(await call(`${api}/customers/00000000-0000-4000-8000-000000000000`, { headers: { 'x-api-key': key } }), 404);
  });
  await run.step(p, 'GET /customers/{id} without an API key → 403', async () => {
    expectStatus(await call(`${api}/customers/00000000-0000-4000-8000-000000000000`), 403);
  });
  await run.step(p, 'GET an unknown path → 404', async () => {
    expectStatus(await call(`${api}/nothing-here`, { headers: { 'x-api-key': key } }), 404);
  });
}
