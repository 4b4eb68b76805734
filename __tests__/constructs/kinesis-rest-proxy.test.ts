import { KinesisRestProxy } from '../../lib/constructs/kinesis-rest-proxy/kinesis-rest-proxy';
import { RestApi } from '../../lib/constructs/rest-api/rest-api';
import { TerraformStack } from 'cdktf';
import { synthJson, testStack } from '../support/synth';

function build(streams: string[], route?: [string, string]): { stack: TerraformStack; proxy: KinesisRestProxy } {
  const stack = testStack();
  const api = new RestApi(stack, 'Api', { name: 'api', logRetentionDays: 1, rateLimit: 1, burstLimit: 1 });
  const proxy = new KinesisRestProxy(stack, 'Kinesis', { api, namePrefix: 'x', streams, region: 'us-east-1', access: 'API_KEY' });
  if (route) proxy.addRoute('PUT', route[0], route[1] as 'PutRecord');
  return { stack, proxy };
}

describe('KinesisRestProxy', () => {
  it('refuses an empty, duplicate or malformed stream list, naming the fix', () => {
    expect(() => build([])).toThrow(/KinesisRestProxy .*streams must be 1 or more distinct short names.*Fix the stream list/);
    expect(() => build(['a', 'a'])).toThrow(/distinct/);
    expect(() => build(['Bad_Name'])).toThrow(/lowercase/);
  });

  it('refuses a stream action on a path without {stream-name}', () => {
    expect(() => build(['a'], ['/records', 'PutRecord'])).toThrow(/PUT \/records routes PutRecord, so its path must contain \{stream-name\}/);
  });

  it('exposes the served streams for the stack to output, and creates no output itself', () => {
    const { stack, proxy } = build(['orders', 'clicks'], ['/{stream-name}', 'PutRecord']);
    expect(proxy.streamNames).toEqual({ orders: 'x-orders', clicks: 'x-clicks' });
    expect(synthJson(stack).output).toBeUndefined();
  });
});
