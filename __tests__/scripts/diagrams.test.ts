import * as fs from 'fs';
import * as path from 'path';
import { allStacks } from '../support/all-stacks';
import { appSynthesis } from '../support/app-synthesis';
import { ALARMS_ID, buildGraph, TerraformJson } from '../../scripts/lib/diagram-graph';
import { renderMermaid } from '../../scripts/lib/diagram-mermaid';
import { diagramsOf, DIAGRAM_DIR, embedDiagrams } from '../../scripts/lib/diagram-docs';
import { PROJECT_ROOT } from '../../lib/bundling';

/** A small stack in synthesized form: queue → consumer → table, with a DLQ, an alarm and the usual plumbing. */
const fixture: TerraformJson = {
  resource: {
    aws_sqs_queue: {
      Queue_11111111: { name: 'jobs', redrive_policy: '${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.Dlq_22222222.arn, "maxReceiveCount" = 5})}' },
      Dlq_22222222: { name: 'jobs-dlq' },
    },
    aws_lambda_function: {
      Fn_33333333: {
        function_name: 'worker',
        role: '${aws_iam_role.Role_44444444.arn}',
        logging_config: { log_group: '${aws_cloudwatch_log_group.Logs_55555555.name}' },
        environment: { variables: { TABLE: '${aws_dynamodb_table.Table_66666666.name}' } },
      },
    },
    aws_iam_role: { Role_44444444: { assume_role_policy: '${data.aws_iam_policy_document.Trust_77777777.json}' } },
    aws_iam_role_policy: { Policy_88888888: { role: '${aws_iam_role.Role_44444444.id}', policy: '${data.aws_iam_policy_document.Doc_99999999.json}' } },
    aws_cloudwatch_log_group: { Logs_55555555: { name: '/aws/lambda/worker' } },
    aws_dynamodb_table: { Table_66666666: { name: 'items' } },
    aws_lambda_event_source_mapping: {
      Mapping_AAAAAAAA: { event_source_arn: '${aws_sqs_queue.Queue_11111111.arn}', function_name: '${aws_lambda_function.Fn_33333333.arn}', batch_size: 10 },
    },
    aws_cloudwatch_metric_alarm: {
      DlqAlarm_BBBBBBBB: { dimensions: { QueueName: '${aws_sqs_queue.Dlq_22222222.name}' }, alarm_actions: ['${aws_sns_topic.Topic_CCCCCCCC.arn}'] },
    },
    aws_sns_topic: { Topic_CCCCCCCC: { name: 'alarms', kms_master_key_id: '${aws_kms_key.Key_DDDDDDDD.arn}' } },
    aws_kms_key: { Key_DDDDDDDD: { policy: '${data.aws_iam_policy_document.KeyPolicy_EEEEEEEE.json}' } },
  },
  data: {
    aws_iam_policy_document: {
      Trust_77777777: { statement: [{ actions: ['sts:AssumeRole'] }] },
      Doc_99999999: {
        statement: [
          { actions: ['logs:PutLogEvents'], resources: ['${aws_cloudwatch_log_group.Logs_55555555.arn}:*'] },
          { actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], resources: ['${aws_sqs_queue.Queue_11111111.arn}'] },
          { actions: ['dynamodb:PutItem'], resources: ['${aws_dynamodb_table.Table_66666666.arn}'] },
        ],
      },
      KeyPolicy_EEEEEEEE: { statement: [{ actions: ['kms:Decrypt'], resources: ['*'] }] },
    },
  },
};

describe('buildGraph', () => {
  const graph = buildGraph(fixture);

  it('draws what a reader cares about and folds roles, policies, log groups, mappings and keys into their owners', () => {
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['Dlq_22222222', 'Fn_33333333', 'Queue_11111111', 'Table_66666666', 'Topic_CCCCCCCC', ALARMS_ID].sort());
    expect(graph.ownerOf.get('aws_iam_role.Role_44444444')).toBe('Fn_33333333');
    expect(graph.ownerOf.get('aws_iam_role_policy.Policy_88888888')).toBe('Fn_33333333');
    expect(graph.ownerOf.get('aws_cloudwatch_log_group.Logs_55555555')).toBe('Fn_33333333');
    expect(graph.ownerOf.get('aws_lambda_event_source_mapping.Mapping_AAAAAAAA')).toBe('Fn_33333333');
    expect(graph.ownerOf.get('aws_kms_key.Key_DDDDDDDD')).toBe('Topic_CCCCCCCC');
    expect(graph.ownerOf.get('aws_cloudwatch_metric_alarm.DlqAlarm_BBBBBBBB')).toBe(ALARMS_ID);
  });

  it('takes edges from the event source mapping, the redrive policy, the role policy and the alarm actions', () => {
    const edges = graph.edges.map((e) => `${e.from} ${e.dotted ? '-.->' : '-->'} ${e.to} ${e.label ?? ''}`.trim());
    expect(edges).toEqual(
      expect.arrayContaining([
        'Queue_11111111 --> Fn_33333333 batches of ≤ 10',
        'Queue_11111111 -.-> Dlq_22222222 after 5 receives',
        'Fn_33333333 --> Table_66666666 PutItem',
        'alarms -.-> Topic_CCCCCCCC alarm and OK actions',
      ]),
    );
    // The queue the function consumes is drawn once, by the mapping, not again from its grant.
    expect(edges.filter((e) => e.startsWith('Fn_33333333 --> Queue_11111111'))).toEqual([]);
    expect(edges).toHaveLength(4);
  });

  it('draws a resource nothing claims on its own rather than hiding it', () => {
    const lonely = buildGraph({ resource: { aws_ssm_parameter: { Param_12345678: { name: 'flag' } } } });
    expect(lonely.nodes).toEqual([expect.objectContaining({ id: 'Param_12345678', kind: 'other', name: 'flag' })]);
  });

  it('points alarms at a topic outside the stack', () => {
    const external = buildGraph({
      resource: { aws_cloudwatch_metric_alarm: { A_12345678: { alarm_actions: ['arn:aws:sns:eu-west-1:123456789012:pager'] } } },
    });
    expect(external.edges).toEqual([{ from: ALARMS_ID, to: 'external_pager', label: 'alarm and OK actions', dotted: true }]);
  });
});

describe('renderMermaid', () => {
  const graph = buildGraph(fixture);

  it('is a left-to-right flowchart with one line per node and edge', () => {
    const text = renderMermaid(graph);
    expect(text.split('\n')[0]).toBe('flowchart LR');
    expect(text).toContain('Fn_33333333(["Lambda function<br/>worker"])');
    expect(text).toContain('Queue_11111111 -.->|"after 5 receives"| Dlq_22222222');
    expect(text).not.toContain('classDef');
  });

  it('marks the node a change lands in, and draws destroyed resources the code no longer has', () => {
    const text = renderMermaid(graph, [
      { address: 'aws_iam_role_policy.Policy_88888888', action: 'change' },
      { address: 'aws_dynamodb_table.Table_66666666', action: 'replace' },
      { address: 'aws_cloudwatch_metric_alarm.DlqAlarm_BBBBBBBB', action: 'add' },
      { address: 'aws_sqs_queue.Old_FFFFFFFF', action: 'destroy', name: 'old-jobs' },
    ]);
    expect(text).toContain('Fn_33333333(["✏️ Lambda function<br/>worker"])');
    expect(text).toContain('Table_66666666[("♻️ DynamoDB table<br/>items")]');
    expect(text).toContain('alarms("➕ CloudWatch alarms<br/>1 alarm")');
    expect(text).toContain('Old_FFFFFFFF["🗑️ aws_sqs_queue<br/>old-jobs"]');
    expect(text).toContain('class Fn_33333333 changed');
    expect(text).toContain('class Table_66666666 replaced');
    expect(text).toContain('class Old_FFFFFFFF destroyed');
    expect(text).not.toMatch(/class .*Queue_11111111/);
  });
});

describe('embedDiagrams', () => {
  it('replaces each marked region with the current block and refuses an unknown stack', () => {
    const doc = 'intro\n<!-- diagram:webhook -->\nold\n<!-- /diagram:webhook -->\nend';
    expect(embedDiagrams(doc, new Map([['webhook', 'NEW']]))).toBe('intro\n<!-- diagram:webhook -->\nNEW\n<!-- /diagram:webhook -->\nend');
    expect(() => embedDiagrams(doc, new Map([['other', 'x']]))).toThrow(/stack webhook, which the app does not build/);
  });
});

describe('the app', () => {
  it('folds every resource of every stack into a drawn node, leaving nothing unclaimed', () => {
    for (const [stack, tf] of allStacks()) {
      const graph = buildGraph(tf as TerraformJson);
      const unclaimed = graph.nodes.filter((n) => n.kind === 'other').map((n) => `${stack}: ${n.address}`);
      expect(unclaimed).toEqual([]);
    }
  });
});

describe('committed diagrams', () => {
  it('are exactly what the current code generates (run `npm run diagrams` to refresh them)', () => {
    const { files, stale } = diagramsOf(appSynthesis());
    expect(stale).toEqual([]);
    expect(files.size).toBeGreaterThanOrEqual(6);
    for (const [file, content] of files) {
      const relative = path.relative(PROJECT_ROOT, file);
      expect({ file: relative, content: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(missing)' }).toEqual({ file: relative, content });
    }
    expect(fs.readdirSync(DIAGRAM_DIR).sort()).toEqual([...files.keys()].filter((f) => f.startsWith(DIAGRAM_DIR)).map((f) => path.basename(f)).sort());
  });
  it("are shown in the README, one for every pipeline", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const stack of ['apigw-lambda-dynamodb-customers', 'apigw-dynamodb-kinesis-lambda', 'apigw-kinesis-proxy', 'apigw-kinesis-putrecord', 'apigw-sqs-lambda-dynamodb']) {
      expect(readme).toMatch(new RegExp(`<!-- diagram:${stack} -->\\n\`\`\`mermaid\\nflowchart LR`));
    }
  });
});
