import { DeleteItemCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { proxyEvent, ProxyRequest } from '../support/api-gateway-event';
import { useLogCapture } from '../support/logs';
import { useEmulator } from '../support/moto';
import { createTable } from '../support/tables';
import { newCustomerId } from '../../lambdas/customers/ids';

// The id generator is the one piece replaced, so a test can force a collision with a stored
// customer; DynamoDB's conditional write (the thing under test) is real.
jest.mock('../../lambdas/customers/ids', () => {
  const { randomUUID } = jest.requireActual<typeof import('crypto')>('crypto');
  return { newCustomerId: jest.fn(() => randomUUID()) };
});
const generatedId = jest.mocked(newCustomerId);

const TABLE = 'customers-handler-test';
let dynamo: DynamoDBClient;
let handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
// Everything the handler logs, on both streams, kept off the test output.

const logs = useLogCapture();
useEmulator();
beforeAll(async () => {
  process.env.TABLE_NAME = TABLE;
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  dynamo = new DynamoDBClient({});
  await createCustomersTable();
  // Imported only now: the handler creates its DynamoDB client at module scope, from the environment.
  ({ handler } = await import('../../lambdas/customers/handler'));
});

/** The table as the stack defines it: keyed by customerId, on demand. */
const createCustomersTable = () => createTable(dynamo, TABLE, 'customerId');

afterAll(async () => {
  dynamo?.destroy();
});


async function call(request: ProxyRequest): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }> {
  const result = await handler(proxyEvent(request));
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown>, headers: result.headers ?? {} };
}

const jane = { name: 'Jane Doe', email: 'Jane@Example.com', phone: '+4930123456', address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' } };

async function createJane(): Promise<Record<string, unknown>> {
  const created = await call({ method: 'POST', resource: '/customers', body: jane });
  expect(created.status).toBe(201);
  return created.body;
}

async function itemCount(): Promise<number> {
  return (await dynamo.send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }))).Count ?? 0;
}

async function storedItem(customerId: string): Promise<Record<string, unknown> | undefined> {
  const result = await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: marshall({ customerId }), ConsistentRead: true }));
  return result.Item ? unmarshall(result.Item) : undefined;
}

describe('GET /health', () => {
  it('answers 200 ok', async () => {
    const response = await call({ method: 'GET', resource: '/health' });
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});

describe('POST /customers', () => {
  it('creates a customer with a generated id, a Location header and the stored record', async () => {
    const response = await call({ method: 'POST', resource: '/customers', body: jane });
    expect(response.status).toBe(201);
    const id = response.body.customerId as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.Location).toBe(`/v1/customers/${id}`);
    expect(response.body).toMatchObject({ name: 'Jane Doe', email: 'jane@example.com', phone: '+4930123456' });
    expect(response.body.createdAt).toBe(response.body.updatedAt);
    expect(await storedItem(id)).toEqual(response.body);
  });

  it('never overwrites an existing customer when the generated id collides', async () => {
    const existing = await createJane();
    const fresh = crypto.randomUUID();
    generatedId.mockReturnValueOnce(existing.customerId as string).mockReturnValueOnce(fresh);

    const response = await call({ method: 'POST', resource: '/customers', body: { name: 'Mallory', email: 'mallory@example.com' } });

    expect(response.status).toBe(201);
    expect(response.body.customerId).toBe(fresh);
    expect(await storedItem(existing.customerId as string)).toEqual(existing);
    expect(await storedItem(fresh)).toMatchObject({ name: 'Mallory' });
  });

  it('answers 503 without writing when every generated id collides', async () => {
    const existing = await createJane();
    generatedId.mockReturnValueOnce(existing.customerId as string).mockReturnValueOnce(existing.customerId as string).mockReturnValueOnce(existing.customerId as string);
    const response = await call({ method: 'POST', resource: '/customers', body: { name: 'Mallory', email: 'mallory@example.com' } });
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/retry/);
    expect(await storedItem(existing.customerId as string)).toEqual(existing);
  });

  it.each([
    ['an empty body', { rawBody: '' }, /body is required/],
    ['malformed JSON', { rawBody: '{"name": "x",' }, /not valid JSON/],
    ['a JSON array', { body: [1, 2] }, /Invalid customer/],
  ])('rejects %s with 400', async (_, request, message) => {
    const response = await call({ method: 'POST', resource: '/customers', ...request });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it.each([
    ['a missing name', { email: 'a@example.com' }, 'name: must be a string'],
    ['an ill-typed name', { name: 42, email: 'a@example.com' }, 'name: must be a string'],
    ['an empty name', { name: '  ', email: 'a@example.com' }, 'name: must not be empty'],
    ['a bad e-mail', { name: 'A', email: 'not-an-email' }, 'email: must be an e-mail address such as jane@example.com'],
    ['an unknown field', { name: 'A', email: 'a@example.com', admin: true }, 'body: unknown field "admin"'],
    ['a client-chosen id', { name: 'A', email: 'a@example.com', customerId: 'mine' }, 'body: unknown field "customerId"'],
    ['a bad phone', { name: 'A', email: 'a@example.com', phone: '030 123' }, 'phone: must be in E.164 form such as +4930123456'],
    ['a bad country', { name: 'A', email: 'a@example.com', address: { line1: 'x', city: 'y', postalCode: '1', country: 'Germany' } }, 'address.country: must be an ISO 3166-1 alpha-2 code such as DE'],
  ])('rejects %s with 400 naming the field', async (_, body, detail) => {
    const response = await call({ method: 'POST', resource: '/customers', body });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('Invalid customer');
    expect(response.body.details).toContain(detail);
  });
});

describe('hostile input: every string is well-formed Unicode without control characters, or a 400 naming the field', () => {
  const valid = { name: 'Ada', email: 'ada@example.com' };
  const address = { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };
  const CONTROL = 'name: must not contain control characters';
  const LONE = 'must be well-formed Unicode (it holds an unpaired surrogate)';
  const EMAIL = 'email: must be an e-mail address such as jane@example.com';

  it.each([
    ['a NUL in the name', { ...valid, name: 'Ada\u0000Lovelace' }, CONTROL],
    ['a BEL in the name', { ...valid, name: 'Ada\u0007' }, CONTROL],
    ['an ANSI escape sequence in the name', { ...valid, name: '\u001b[31mAda\u001b[0m' }, CONTROL],
    ['backspaces in the name', { ...valid, name: 'Adam\b\b' }, CONTROL],
    ['a C1 control in the name', { ...valid, name: 'Ada\u0085' }, CONTROL],
    ['a line break in the name', { ...valid, name: 'Ada\nLovelace' }, CONTROL],
    ['a line break in an address line', { ...valid, address: { ...address, line1: '1 Main St\nFloor 2' } }, 'address.line1: must not contain control characters'],
    ['a NUL in the e-mail', { ...valid, email: 'ada\u0000@example.com' }, EMAIL],
    ['an ESC in the e-mail domain', { ...valid, email: 'ada@exa\u001bmple.com' }, EMAIL],
    ['markup as the e-mail local part', { ...valid, email: '<script>alert(1)</script>@example.com' }, EMAIL],
    ['a display name with the address', { ...valid, email: 'Ada <ada@example.com>' }, EMAIL],
    ['an e-mail longer than 254 characters', { ...valid, email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}` }, 'email: must be at most 254 characters'],
    ['an unpaired high surrogate in the name', { ...valid, name: 'Ada \ud83d' }, `name: ${LONE}`],
    ['an unpaired low surrogate in the name', { ...valid, name: '\udc00Ada' }, `name: ${LONE}`],
    ['an unpaired surrogate in the e-mail', { ...valid, email: 'ada\ud83d@example.com' }, EMAIL],
    ['an unpaired surrogate in an address line', { ...valid, address: { ...address, city: 'Berlin\udc00' } }, `address.city: ${LONE}`],
    ['an unpaired surrogate in the phone', { ...valid, phone: '+49301234\ud83d' }, 'phone: must be in E.164 form such as +4930123456'],
    ['201 astral characters as the name', { ...valid, name: '🎉'.repeat(201) }, 'name: must be at most 200 characters'],
  ])('POST refuses %s with 400 and stores nothing', async (_, body, detail) => {
    const before = await itemCount();
    const response = await call({ method: 'POST', resource: '/customers', body });
    expect(response.status).toBe(400);
    expect(response.body.details).toContain(detail);
    expect(await itemCount()).toBe(before);
  });

  it('refuses an unpaired surrogate as a field name with 400, not a failed write', async () => {
    const response = await call({ method: 'POST', resource: '/customers', rawBody: '{"name":"Ada","email":"ada@example.com","\\ud83d":1}' });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual(['body: unknown field "\ud83d"']);
  });

  it.each([
    ['a __proto__ field', '{"__proto__":{"admin":true},"name":"Ada","email":"ada@example.com"}'],
    ['a constructor field', '{"constructor":{"prototype":{}},"name":"Ada","email":"ada@example.com"}'],
    ['deeply nested arrays', `{"name":"Ada","email":"ada@example.com","address":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['a number too large for a double as the name', '{"name":1e400,"email":"ada@example.com"}'],
    ['JSON null', 'null'],
    ['a bare string with an unpaired surrogate', '"\\udc00"'],
    ['a UTF-8 byte-order mark before the body', '\ufeff{"name":"Ada","email":"ada@example.com"}'],
  ])('answers %s with 400, never a 5xx', async (_, rawBody) => {
    const before = await itemCount();
    const response = await call({ method: 'POST', resource: '/customers', rawBody });
    expect(response.status).toBe(400);
    expect(typeof response.body.message).toBe('string');
    expect(await itemCount()).toBe(before);
  });

  it('answers a base64 body holding bytes that are not UTF-8 with 400', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"Ada'), Buffer.from([0xed, 0xa0, 0xbd]), Buffer.from('","email":"ada@example.com"}')]);
    const event = proxyEvent({ method: 'POST', resource: '/customers', rawBody: bytes.toString('base64') });
    const response = await handler({ ...event, isBase64Encoded: true });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ message: 'Request body is not valid UTF-8' });
  });

  it('counts lengths in code points, as the JSON Schema maxLength of API models does: 200 emoji are a valid name', async () => {
    const name = '🎉'.repeat(200);
    expect(name.length).toBe(400);
    const response = await call({ method: 'POST', resource: '/customers', body: { ...valid, name } });
    expect(response.status).toBe(201);
    expect(await storedItem(response.body.customerId as string)).toMatchObject({ name });
  });

  it('accepts any address of the WHATWG "valid e-mail address" syntax up to 254 characters', async () => {
    const longest = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(longest).toHaveLength(254);
    for (const email of [longest, "o'brien+tag@example.co.uk", 'x@localhost', 'first.last@sub-domain.example']) {
      const response = await call({ method: 'POST', resource: '/customers', body: { ...valid, email } });
      expect({ email, status: response.status }).toEqual({ email, status: 201 });
    }
  });

  it.each(['PUT', 'PATCH'])('%s …/email refuses control characters, markup and unpaired surrogates with 400 and changes nothing', async (method) => {
    const created = await createJane();
    const id = created.customerId as string;
    for (const email of ['jane\u0000@example.com', '<b>jane</b>@example.com', 'jane@example.com\u0007', 'jane\udc00@example.com']) {
      const response = await call({ method, resource: '/customers/{customerId}/email', pathParameters: { customerId: id }, body: { email } });
      expect({ email, status: response.status, details: response.body.details }).toEqual({ email, status: 400, details: [EMAIL] });
    }
    expect(await storedItem(id)).toEqual(created);
  });

  it('PUT refuses an unpaired surrogate in any field with 400 and changes nothing', async () => {
    const created = await createJane();
    const id = created.customerId as string;
    const response = await call({ method: 'PUT', resource: '/customers/{customerId}', pathParameters: { customerId: id }, body: { ...jane, address: { ...jane.address, line2: '\ud83d' } } });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([`address.line2: ${LONE}`]);
    expect(await storedItem(id)).toEqual(created);
  });

  it('answers 400 for a path id holding control characters or an unpaired surrogate', async () => {
    for (const customerId of [`${crypto.randomUUID()}\u0000`, `\ud83d${crypto.randomUUID().slice(1)}`]) {
      const response = await call({ method: 'GET', resource: '/customers/{customerId}', pathParameters: { customerId } });
      expect(response.status).toBe(400);
    }
  });
});

describe('GET /customers/{customerId}', () => {
  it('returns the customer', async () => {
    const created = await createJane();
    const response = await call({ method: 'GET', resource: '/customers/{customerId}', pathParameters: { customerId: created.customerId as string } });
    expect(response).toMatchObject({ status: 200, body: created });
  });

  it('answers 404 for an unknown id', async () => {
    const id = crypto.randomUUID();
    const response = await call({ method: 'GET', resource: '/customers/{customerId}', pathParameters: { customerId: id } });
    expect(response.status).toBe(404);
    expect(response.body.message).toBe(`Customer ${id} not found`);
  });

  it('answers 400 for an id that is not a UUID', async () => {
    const response = await call({ method: 'GET', resource: '/customers/{customerId}', pathParameters: { customerId: 'DROP TABLE' } });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/customerId must be a UUID/);
  });
});

describe('PUT /customers/{customerId}', () => {
  it('replaces the client-owned fields and keeps id and createdAt', async () => {
    const created = await createJane();
    const id = created.customerId as string;
    const response = await call({ method: 'PUT', resource: '/customers/{customerId}', pathParameters: { customerId: id }, body: { name: 'Jane Roe', email: 'jane.roe@example.com' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ customerId: id, name: 'Jane Roe', email: 'jane.roe@example.com', createdAt: created.createdAt });
    // Fields left out of a full replacement are removed, not kept from before.
    expect(response.body).not.toHaveProperty('phone');
    expect(response.body).not.toHaveProperty('address');
    expect(await storedItem(id)).toEqual(response.body);
  });

  it('answers 404 and creates nothing for an unknown id', async () => {
    const id = crypto.randomUUID();
    const response = await call({ method: 'PUT', resource: '/customers/{customerId}', pathParameters: { customerId: id }, body: { name: 'Ghost', email: 'ghost@example.com' } });
    expect(response.status).toBe(404);
    expect(await storedItem(id)).toBeUndefined();
  });

  it('rejects an invalid body with 400 before touching the table', async () => {
    const created = await createJane();
    const response = await call({ method: 'PUT', resource: '/customers/{customerId}', pathParameters: { customerId: created.customerId as string }, body: { name: 'No email' } });
    expect(response.status).toBe(400);
    expect(response.body.details).toContain('email: must be a string');
    expect(await storedItem(created.customerId as string)).toEqual(created);
  });
});

describe.each(['PUT', 'PATCH'])('%s /customers/{customerId}/email', (method) => {
  it('updates only the e-mail', async () => {
    const created = await createJane();
    const id = created.customerId as string;
    const response = await call({ method, resource: '/customers/{customerId}/email', pathParameters: { customerId: id }, body: { email: 'NEW@example.com' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ...created, email: 'new@example.com', updatedAt: expect.any(String) });
  });

  it('answers 404 and creates nothing for an unknown id', async () => {
    const id = crypto.randomUUID();
    const response = await call({ method, resource: '/customers/{customerId}/email', pathParameters: { customerId: id }, body: { email: 'x@example.com' } });
    expect(response.status).toBe(404);
    expect(await storedItem(id)).toBeUndefined();
  });

  it('rejects extra fields and bad addresses with 400', async () => {
    const created = await createJane();
    const id = created.customerId as string;
    const extra = await call({ method, resource: '/customers/{customerId}/email', pathParameters: { customerId: id }, body: { email: 'x@example.com', name: 'x' } });
    expect(extra.status).toBe(400);
    expect(extra.body.details).toContain('body: unknown field "name"');
    const bad = await call({ method, resource: '/customers/{customerId}/email', pathParameters: { customerId: id }, body: { email: 'x@' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Invalid e-mail update');
  });
});

describe('routing', () => {
  it('answers 405 with an Allow header for another method on a known path', async () => {
    const response = await call({ method: 'DELETE', resource: '/customers/{customerId}', pathParameters: { customerId: crypto.randomUUID() } });
    expect(response.status).toBe(405);
    expect(response.headers.Allow).toBe('GET, PUT');
    expect(response.body.message).toMatch(/DELETE is not allowed/);
  });

  it('answers 404 for an unknown path', async () => {
    const response = await call({ method: 'GET', resource: '/{proxy+}', pathParameters: { proxy: 'nope' } });
    expect(response.status).toBe(404);
  });

  it('answers 500 with a generic message, not internals, when DynamoDB fails', async () => {
    const created = await createJane();
    const saved = process.env.AWS_ENDPOINT_URL;
    // A deleted table is a real backend failure the client cannot fix.
    await dynamo.send(new DeleteItemCommand({ TableName: TABLE, Key: marshall({ customerId: created.customerId as string }) }));
    await dynamo.send(new DeleteTableCommand({ TableName: TABLE }));
    try {
      const response = await call({ method: 'GET', resource: '/customers/{customerId}', pathParameters: { customerId: created.customerId as string } });
      expect(response.status).toBe(500);
      expect(response.body.message).toBe('Internal error; the request was not completed');
      expect(JSON.stringify(response.body)).not.toMatch(/ResourceNotFound|Table/);
    } finally {
      process.env.AWS_ENDPOINT_URL = saved;
      await createCustomersTable();
    }
  });
});

describe('logging', () => {
  it('writes structured request logs but never customer data or the API key, on either stream', async () => {
    logs.clear();
    const existing = await createJane();
    // A collision makes the handler warn, and Powertools writes WARN to stderr: watched too.
    generatedId.mockReturnValueOnce(existing.customerId as string);
    await call({ method: 'POST', resource: '/customers', body: { name: 'Secret Person', email: 'secret@example.com' }, headers: { 'x-api-key': 'key-value-123' } });
    await call({ method: 'POST', resource: '/customers', body: { name: 'Secret\u0007Person', email: 'secret@example.com' }, headers: { 'x-api-key': 'key-value-123' } });
    // The capture did see the handler's structured logs on both streams, so the last assertion is about real output.
    const entries = logs.entries().filter((e) => e.requestId !== undefined);
    expect(entries.map((e) => `${e.stream} ${String(e.level)} ${String(e.message)}`)).toEqual([
      'stdout INFO request',
      'stdout INFO response',
      'stdout INFO request',
      'stderr WARN generated customerId already taken; retrying with a new one',
      'stdout INFO response',
      'stdout INFO request',
      'stdout INFO rejected',
    ]);
    expect(logs.text()).not.toMatch(/Secret|secret@example.com|key-value-123|Jane Doe|jane@example.com/i);
  });
});
