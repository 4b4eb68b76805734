import { firstDisallowedSqsCharacter, MAX_KINESIS_RECORD_BYTES, serviceLimitRefusal } from '../../local/aws/service-limits';

const PUT_RECORD = { service: 'kinesis', action: 'PutRecord' };
const SEND_MESSAGE = { service: 'sqs', action: 'SendMessage' };
const putRecord = (dataBytes: number, key = 'k') => JSON.stringify({ StreamName: 's', PartitionKey: key, Data: Buffer.alloc(dataBytes, 7).toString('base64') });

describe('Kinesis PutRecord: 1 MiB per record, data blob plus partition key', () => {
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
  it('passes a record of exactly 1 MiB with its partition key', () => {
    expect(serviceLimitRefusal(PUT_RECORD, putRecord(MAX_KINESIS_RECORD_BYTES - 1, 'k'))).toBeUndefined();
  });

  it('refuses one byte more, as Kinesis does: 400 ValidationException', () => {
    const refused = serviceLimitRefusal(PUT_RECORD, putRecord(MAX_KINESIS_RECORD_BYTES, 'k'));
    expect(refused?.status).toBe(400);
    expect(JSON.parse(refused!.body)).toMatchObject({ __type: 'ValidationException' });
  });

  it('names the data constraint when the data blob alone is over 1 MiB (a 1.1 MB record)', () => {
    const refused = serviceLimitRefusal(PUT_RECORD, putRecord(1_100_000));
    expect(JSON.parse(refused!.body)).toEqual({
      __type: 'ValidationException',
      message: "1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    });
  });

  it('leaves other actions and unparsable bodies to the service', () => {
    expect(serviceLimitRefusal({ service: 'kinesis', action: 'GetRecords' }, putRecord(2_000_000))).toBeUndefined();
    expect(serviceLimitRefusal(PUT_RECORD, 'not json')).toBeUndefined();
  });
});

describe('SQS SendMessage: the allowed character set', () => {
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
  it.each([
    ['tab, LF, CR', '\t\n\r', undefined],
    ['space to U+D7FF', ' ~\u00e9\ud7ff', undefined],
    ['U+E000 to U+FFFD', '\ue000\ufffd', undefined],
    ['U+10000 to U+10FFFF (surrogate pairs)', '\u{10000}\u{10ffff}😀', undefined],
    ['NUL', 'a\u0000b', 0x0],
    ['ESC', 'a\u001bb', 0x1b],
    ['U+001F, just below space', '\u001f', 0x1f],
    ['U+FFFE', '\ufffe', 0xfffe],
    ['U+FFFF', 'x\uffff', 0xffff],
    ['a lone surrogate', 'a\ud800b', 0xd800],
  ])('%s', (_, text, expected) => {
    expect(firstDisallowedSqsCharacter(text)).toBe(expected);
  });

  it('refuses a body with U+FFFF the way SQS does: 400 InvalidMessageContents', () => {
    const refused = serviceLimitRefusal(SEND_MESSAGE, JSON.stringify({ QueueUrl: 'q', MessageBody: '{"message":"\uffff"}' }));
    expect(refused?.status).toBe(400);
    expect(refused?.headers['x-amzn-query-error']).toBe('InvalidMessageContents;Sender');
    expect(JSON.parse(refused!.body)).toEqual({
      __type: 'com.amazonaws.sqs#InvalidMessageContents',
      message:
        "Invalid binary character '#xFFFF' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].",
    });
    expect(serviceLimitRefusal(SEND_MESSAGE, JSON.stringify({ QueueUrl: 'q', MessageBody: '{"message":"ok \ufffd"}' }))).toBeUndefined();
  });
});
