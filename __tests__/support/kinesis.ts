import { CreateStreamCommand, DescribeStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { emulatorClient } from './emulator-inventory';
import { Moto, useEmulator } from './moto';
import { requestTemplateOf, responseTemplateOf, Route } from './routes';
import { renderMappingTemplate, VtlRequest } from '../../local/vtl/renderer';

/** What API Gateway would send the client after a response template: status (with override) and parsed body. */
export function renderResponse(template: string, backendBody: string, selectedStatus: number, request: VtlRequest = {}): { status: number; body: unknown } {
  const { output, context } = renderMappingTemplate(template, {
    ...request,
    body: backendBody,
    kind: 'response',
  });
  const override = (context.responseOverride as { status?: number } | undefined)?.status;
  return { status: override ?? selectedStatus, body: JSON.parse(output) };
}

/**
 * Renders a request template the way API Gateway does for a method request. Note that for a
 * response template the renderer's $input is the integration body, so request parameters are
 * passed alongside it (API Gateway keeps `$input.params()` pointing at the method request).
 */
export function renderRequest(template: string, request: VtlRequest): unknown {
  return JSON.parse(renderMappingTemplate(template, { ...request, kind: 'request' }).output);
}

/** Creates one-shard streams in the emulator and waits until they are ACTIVE. */
export async function createStreams(kinesis: KinesisClient, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  }
  for (const name of names) {
    for (let attempt = 0; ; attempt++) {
      const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
      if (StreamDescription?.StreamStatus === 'ACTIVE') break;
      if (attempt > 50) throw new Error(`stream ${name} did not become ACTIVE in the emulator`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Sends a rendered request body to the emulator's Kinesis JSON API exactly as API Gateway would:
 * POST with `X-Amz-Target: Kinesis_20131202.<Action>` and the Kinesis content type. Returns status
 * and raw body, which is what the integration response templates see.
 */
export async function callKinesis(endpoint: string, action: string, body: string): Promise<{ status: number; body: string }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `Kinesis_20131202.${action}`,
      // moto reads region and account from the signature's credential scope.
      Authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260115/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/** What a client of the API gets back, and what went over the wire to Kinesis on the way. */
export interface GatewayExchange {
  /** Body the request template produced (always valid JSON, or the exchange throws). */
  readonly sent: string;
  readonly kinesis: { readonly status: number; readonly body: string };
  readonly status: number;
  readonly body: unknown;
}

/**
 * One request through a synthesized AWS integration, the way API Gateway runs it after the method
 * request passed validation: render the request template, POST it to the emulator's Kinesis API,
 * pick the integration response whose selection pattern matches Kinesis's status (else the default),
 * render its template and apply any `$context.responseOverride.status`.
 */
export async function throughApiGateway(route: Route, endpoint: string, request: VtlRequest): Promise<GatewayExchange> {
  const action = /:kinesis:action\/(\w+)$/.exec(String(route.integration.uri))?.[1];
  if (!action) throw new Error(`${route.method} ${route.path} is not a Kinesis integration`);
  const sent = renderMappingTemplate(requestTemplateOf(route), { ...request, kind: 'request' }).output;
  JSON.parse(sent);
  const kinesis = await callKinesis(endpoint, action, sent);
  const matched = Object.entries(route.responses).find(
    ([, r]) => typeof r.selection_pattern === 'string' && new RegExp(`^(?:${r.selection_pattern})$`).test(String(kinesis.status)),
  );
  const fallback = Object.entries(route.responses).find(([, r]) => r.selection_pattern === undefined);
  const [selected] = matched ?? fallback ?? [];
  if (!selected) throw new Error(`${route.method} ${route.path}: no integration response for status ${kinesis.status}`);
  const { status, body } = renderResponse(responseTemplateOf(route, selected), kinesis.body, Number(selected), request);
  return { sent, kinesis, status, body };
}

/** Records with the characters that break naive templates: quotes, backslashes, newlines, unicode, markup. */
export const AWKWARD_RECORDS: readonly { readonly name: string; readonly Data: unknown; readonly PartitionKey: string }[] = [
  { name: 'an object', Data: { orderId: 'o-1', amount: 12.5, items: [1, 2, 3], paid: true, note: null }, PartitionKey: 'customer-42' },
  { name: 'quotes and backslashes', Data: { text: 'He said "hi" and \'bye\' \\o/' }, PartitionKey: 'key with "quotes" and \'apostrophes\'' },
  { name: 'newlines and tabs', Data: 'line one\nline two\r\n\tindented', PartitionKey: 'multi\nline' },
  { name: 'unicode', Data: { city: 'Zürich', greeting: 'こんにちは', emoji: '🚀✨', rtl: 'שלום' }, PartitionKey: 'ключ-🔑' },
  { name: 'markup and template syntax', Data: '</script><b>$context.requestId #set($x = 1)</b>', PartitionKey: '$input.body' },
  { name: 'a bare number', Data: 42, PartitionKey: '0' },
  { name: 'null', Data: null, PartitionKey: 'k' },
  { name: 'a 256-character partition key', Data: [{ nested: { deeper: ['x'] } }], PartitionKey: 'p'.repeat(256) },
];

/**
 * A suite's emulator with these streams in it and a Kinesis client for it, both ready from the
 * suite's own `beforeAll` on and released after the suite.
 */
export function useEmulatorStreams(streamNames: readonly string[]): () => { moto: Moto; kinesis: KinesisClient } {
  const emulator = useEmulator();
  let kinesis: KinesisClient | undefined;
  beforeAll(async () => {
    kinesis = emulatorClient(KinesisClient, emulator().endpoint);
    await createStreams(kinesis, streamNames);
  });
  afterAll(() => kinesis?.destroy());
  return () => ({ moto: emulator(), kinesis: kinesis! });
}
