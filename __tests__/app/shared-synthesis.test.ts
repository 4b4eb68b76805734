import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { ApiGatewayAccountStack } from '../../stacks/apigw-account/stack';
import { CommentsStack } from '../../stacks/comments/stack';
import { CustomersStack } from '../../stacks/customers/stack';
import { KinesisProxyStack } from '../../stacks/kinesis-proxy/stack';
import { KinesisPutRecordStack } from '../../stacks/kinesis-putrecord/stack';
import { StateBackendStack } from '../../stacks/state-backend/stack';
import { WebhookStack } from '../../stacks/webhook/stack';
import { configFileName, SHARED_CONFIGS, SHARED_SYNTHESIS_ENV, sourcesDigest } from '../support/shared-synthesis';
import { synthesizedApp, testConfig } from '../support/synth';

/** What lets the stack suites read the run's one synthesis instead of synthesizing their stack alone. */
describe('the shared synthesis', () => {
  it('is this run\'s, of the sources as they are now', () => {
    const dir = process.env[SHARED_SYNTHESIS_ENV];
    expect(dir).toBeDefined();
    expect(path.basename(dir ?? '')).toBe(sourcesDigest());
    for (const overrides of SHARED_CONFIGS) expect(fs.existsSync(path.join(dir ?? '', configFileName(overrides)))).toBe(true);
  });

  it('holds each stack exactly as it synthesizes alone', () => {
    const alone = {
      'state-backend': StateBackendStack,
      'apigw-account': ApiGatewayAccountStack,
      'apigw-lambda-dynamodb-customers': CustomersStack,
      'apigw-dynamodb-kinesis-lambda': CommentsStack,
      'apigw-kinesis-proxy': KinesisProxyStack,
      'apigw-kinesis-putrecord': KinesisPutRecordStack,
      'apigw-sqs-lambda-dynamodb': WebhookStack,
    };
    const shared = synthesizedApp().stacks;
    expect(shared.map((s) => s.id).sort()).toEqual(Object.keys(alone).sort());
    for (const { id, tf } of shared) {
      const stack = new alone[id as keyof typeof alone](Testing.app(), testConfig());
      expect({ id, tf: JSON.parse(Testing.synth(stack)) }).toEqual({ id, tf });
    }
  });
});

describe('the sources digest that names a synthesis', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-digest-'));
    fs.mkdirSync(path.join(root, 'stacks'));
    fs.writeFileSync(path.join(root, 'stacks', 'a.ts'), 'a');
    fs.writeFileSync(path.join(root, 'main.ts'), 'main');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('changes with any byte, any new file and any rename below the sources, and with nothing else', () => {
    const digest = () => sourcesDigest(['stacks', 'main.ts', 'absent.json'], root);
    const first = digest();
    expect(digest()).toBe(first);
    fs.writeFileSync(path.join(root, 'elsewhere.ts'), 'x');
    expect(digest()).toBe(first);

    fs.writeFileSync(path.join(root, 'stacks', 'a.ts'), 'b');
    const edited = digest();
    expect(edited).not.toBe(first);
    fs.writeFileSync(path.join(root, 'stacks', 'new.ts'), '');
    const added = digest();
    expect(added).not.toBe(edited);
    fs.renameSync(path.join(root, 'stacks', 'new.ts'), path.join(root, 'stacks', 'renamed.ts'));
    expect(digest()).not.toBe(added);
  });

  it('names a configuration by its settings, in any order', () => {
    expect(configFileName({ A: '1', B: '2' })).toBe(configFileName({ B: '2', A: '1' }));
    expect(configFileName({ A: '1' })).not.toBe(configFileName({ A: '2' }));
  });
});
