/**
 * The graph a reader of one stack cares about, read from its synthesized Terraform JSON
 * (`cdk.tf.json`): APIs and routes, functions, tables, streams, queues, secrets, topics, buckets.
 * Every other resource (roles, policies, log groups, permissions, keys, API Gateway plumbing) is
 * folded into the node it belongs to, so a plan can still say which node a change lands in.
 * Edges come from references: route → integration target, authorizer, event source mapping,
 * on-failure destination, redrive, table → stream, and what each function's role lets it reach.
 *
 * Pure: no I/O. `diagram-mermaid.ts` draws the graph.
 */

/** The part of a synthesized stack this module reads. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export type NodeKind =
  | 'client'
  | 'api'
  | 'route'
  | 'function'
  | 'table'
  | 'stream'
  | 'queue'
  | 'secret'
  | 'topic'
  | 'bucket'
  | 'account'
  | 'alarms'
  | 'dashboard'
  | 'external'
  | 'other';

export interface DiagramNode {
  /** Mermaid-safe id: the resource's logical id, or a fixed name for `client` and `alarms`. */
  readonly id: string;
  readonly kind: NodeKind;
  /** First line: what it is; second line: its name. */
  readonly kindLabel: string;
  readonly name: string;
  /** The node's own resource address, if it is one. */
  readonly address?: string;
  /** Owning node (a route's API), for resources shared by several children. */
  readonly parent?: string;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  /** Dotted for what happens only on failure or out of band (DLQ, on-failure, alarms, rotation). */
  readonly dotted?: boolean;
}

export interface StackGraph {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Every managed resource address of the stack → the id of the node it is drawn as or folded into. */
  readonly ownerOf: ReadonlyMap<string, string>;
}

/** Resource types drawn as nodes, in the order the diagram lists them (roughly the request path). */
export const NODE_TYPES: Readonly<Record<string, { readonly kind: NodeKind; readonly label: string }>> = {
  aws_api_gateway_rest_api: { kind: 'api', label: 'REST API' },
  aws_apigatewayv2_api: { kind: 'api', label: 'HTTP API' },
  aws_api_gateway_method: { kind: 'route', label: 'route' },
  aws_apigatewayv2_route: { kind: 'route', label: 'route' },
  aws_lambda_function: { kind: 'function', label: 'Lambda function' },
  aws_sqs_queue: { kind: 'queue', label: 'SQS queue' },
  aws_dynamodb_table: { kind: 'table', label: 'DynamoDB table' },
  aws_kinesis_stream: { kind: 'stream', label: 'Kinesis stream' },
  aws_secretsmanager_secret: { kind: 'secret', label: 'secret' },
  aws_s3_bucket: { kind: 'bucket', label: 'S3 bucket' },
  aws_api_gateway_account: { kind: 'account', label: 'API Gateway account settings' },
  aws_cloudwatch_dashboard: { kind: 'dashboard', label: 'CloudWatch dashboard' },
  aws_sns_topic: { kind: 'topic', label: 'SNS topic' },
};

const ALARM_TYPE = 'aws_cloudwatch_metric_alarm';
export const CLIENT_ID = 'client';
export const ALARMS_ID = 'alarms';

/**
 * When a folded resource references several others, the attribute that names its owner, first
 * match wins: a permission belongs to its function, a role policy to its role, API plumbing to its API.
 */
const OWNER_ATTRIBUTES = [
  'function_name',
  'role',
  'secret_id',
  'rest_api_id',
  'api_id',
  'bucket',
  'target_key_id',
  'usage_plan_id',
  'topic_arn',
  'table_name',
  'queue_url',
  'key_id',
];

interface Reference {
  /** The last non-numeric key on the way to the string that holds the reference. */
  readonly attribute: string;
  /** `type.name`, or `data.type.name`. */
  readonly address: string;
}

/** `arn:aws:apigateway:<region>:<service>:action/<Action>`: an API Gateway AWS-service integration. */
const SERVICE_ACTION_URI = /^arn:aws[-a-z]*:apigateway:[^:]+:([a-z0-9-]+):action\/([A-Za-z0-9]+)$/;
/** Which node kind an AWS-service integration reaches, when neither template nor role names it. */
const SERVICE_KINDS: Readonly<Record<string, NodeKind>> = { dynamodb: 'table', kinesis: 'stream', sqs: 'queue', sns: 'topic' };

export function buildGraph(tf: TerraformJson): StackGraph {
  return new GraphBuilder(tf).build();
}

class GraphBuilder {
  private readonly resources = new Map<string, Readonly<Record<string, unknown>>>();
  private readonly data = new Map<string, Readonly<Record<string, unknown>>>();
  private readonly refs = new Map<string, Reference[]>();
  private readonly incoming = new Map<string, string[]>();
  private readonly nodes = new Map<string, DiagramNode>();
  private readonly edges: DiagramEdge[] = [];
  private readonly owners = new Map<string, string>();
  private readonly resolving = new Set<string>();

  constructor(tf: TerraformJson) {
    for (const [type, byName] of sorted(Object.entries(tf.resource ?? {}))) {
      for (const [name, config] of sorted(Object.entries(byName))) this.resources.set(`${type}.${name}`, config as Record<string, unknown>);
    }
    for (const [type, byName] of sorted(Object.entries(tf.data ?? {}))) {
      for (const [name, config] of sorted(Object.entries(byName))) this.data.set(`data.${type}.${name}`, config as Record<string, unknown>);
    }
    for (const [address, config] of [...this.resources, ...this.data]) {
      const found = this.referencesIn(config);
      this.refs.set(address, found);
      for (const ref of found) {
        const list = this.incoming.get(ref.address) ?? [];
        if (!list.includes(address)) list.push(address);
        this.incoming.set(ref.address, list);
      }
    }
  }

  build(): StackGraph {
    this.addNodes();
    for (const address of this.resources.keys()) this.owners.set(address, this.ownerOf(address));
    this.addEdges();
    const order = Object.values(NODE_TYPES).map((t) => t.kind);
    const rank = (n: DiagramNode): number =>
      n.kind === 'client' ? -1 : n.kind === 'alarms' ? order.indexOf('dashboard') + 0.5 : order.indexOf(n.kind) >= 0 ? order.indexOf(n.kind) : order.length;
    const nodes = [...this.nodes.values()].sort((a, b) => rank(a) - rank(b) || compare(a.id, b.id));
    return { nodes, edges: dedupe(this.edges), ownerOf: this.owners };
  }

  // ---- nodes

  private addNodes(): void {
    const apis = [...this.resources.keys()].filter((a) => NODE_TYPES[typeOf(a)]?.kind === 'api');
    if (apis.length > 0) this.nodes.set(CLIENT_ID, { id: CLIENT_ID, kind: 'client', kindLabel: 'client', name: '' });
    for (const [address, config] of this.resources) {
      const type = NODE_TYPES[typeOf(address)];
      if (!type) continue;
      const id = nodeId(address);
      if (type.kind === 'route') {
        const api = this.firstRef(address, ['rest_api_id', 'api_id']);
        this.nodes.set(id, { id, kind: 'route', kindLabel: type.label, name: this.routeName(address, config), address, parent: api && nodeId(api) });
      } else {
        this.nodes.set(id, { id, kind: type.kind, kindLabel: this.kindLabel(address, type.label), name: this.physicalName(address, config), address });
      }
    }
    const alarms = [...this.resources.keys()].filter((a) => typeOf(a) === ALARM_TYPE);
    if (alarms.length > 0) {
      this.nodes.set(ALARMS_ID, {
        id: ALARMS_ID,
        kind: 'alarms',
        kindLabel: 'CloudWatch alarms',
        name: `${alarms.length} alarm${alarms.length === 1 ? '' : 's'}`,
      });
    }
  }

  private kindLabel(address: string, label: string): string {
    if (typeOf(address) === 'aws_sqs_queue') {
      const redriveTarget = (this.incoming.get(address) ?? []).some((from) => typeOf(from) === 'aws_sqs_queue' && this.refAttribute(from, address) === 'redrive_policy');
      if (redriveTarget) return 'SQS dead-letter queue';
      const failureTarget = (this.incoming.get(address) ?? []).some((from) => this.refAttribute(from, address) === 'destination_arn');
      if (failureTarget) return 'SQS failure queue';
    }
    if (typeOf(address) === 'aws_sns_topic') {
      const emails = (this.incoming.get(address) ?? []).filter((from) => typeOf(from) === 'aws_sns_topic_subscription' && this.resources.get(from)?.protocol === 'email');
      if (emails.length > 0) return `${label}, ${emails.length} e-mail subscription${emails.length === 1 ? '' : 's'}`;
    }
    return label;
  }

  private physicalName(address: string, config: Readonly<Record<string, unknown>>): string {
    for (const key of ['function_name', 'dashboard_name', 'bucket', 'name']) {
      const value = config[key];
      if (typeof value === 'string' && !value.includes('${')) return value;
    }
    return readableLogicalId(address);
  }

  /** `POST /customers/{customerId}`: the method and the path of its resource chain. */
  private routeName(address: string, config: Readonly<Record<string, unknown>>): string {
    if (typeof config.route_key === 'string') return config.route_key;
    const parts: string[] = [];
    let resource = this.firstRef(address, ['resource_id']);
    for (let depth = 0; resource && typeOf(resource) === 'aws_api_gateway_resource' && depth < 50; depth++) {
      parts.unshift(String(this.resources.get(resource)?.path_part ?? '?'));
      resource = this.firstRef(resource, ['parent_id']);
    }
    return `${String(config.http_method)} /${parts.join('/')}`;
  }

  // ---- folding

  private ownerOf(address: string): string {
    const known = this.owners.get(address);
    if (known) return known;
    if (NODE_TYPES[typeOf(address)]) return nodeId(address);
    if (typeOf(address) === ALARM_TYPE) return ALARMS_ID;
    // A reference cycle (a role and its policy point at each other through `incoming`): this path
    // gives no owner; the outermost lookup finds it another way.
    if (this.resolving.has(address)) return '';
    const outermost = this.resolving.size === 0;
    this.resolving.add(address);
    try {
      const owner = this.routeOwner(address) ?? this.outgoingOwner(address) ?? this.incomingOwner(address) ?? this.policyOwner(address);
      if (owner) {
        if (outermost) this.owners.set(address, owner);
        return owner;
      }
      if (!outermost) return '';
      // Nothing claims it: draw it on its own rather than hide it.
      const id = nodeId(address);
      this.nodes.set(id, { id, kind: 'other', kindLabel: typeOf(address), name: this.physicalName(address, this.resources.get(address) ?? {}), address });
      this.owners.set(address, id);
      return id;
    } finally {
      this.resolving.delete(address);
    }
  }

  /** API Gateway plumbing of one route (integration, responses) belongs to that route. */
  private routeOwner(address: string): string | undefined {
    const config = this.resources.get(address) ?? {};
    const type = typeOf(address);
    if (type.startsWith('aws_api_gateway_') && config.resource_id !== undefined && config.http_method !== undefined) {
      const method = this.firstRef(address, ['http_method']);
      if (method && typeOf(method) === 'aws_api_gateway_method') return nodeId(method);
      const match = [...this.resources].find(
        ([a, c]) => typeOf(a) === 'aws_api_gateway_method' && c.resource_id === config.resource_id && c.http_method === config.http_method,
      );
      if (match) return nodeId(match[0]);
    }
    // An HTTP API integration used by one route belongs to it; a shared one (or an authorizer) to the API.
    if (type === 'aws_apigatewayv2_integration') {
      const routes = (this.incoming.get(address) ?? []).filter((from) => NODE_TYPES[typeOf(from)]?.kind === 'route');
      if (routes.length === 1) return nodeId(routes[0]);
    }
    return undefined;
  }

  private outgoingOwner(address: string): string | undefined {
    const direct = (this.refs.get(address) ?? []).filter((r) => !r.address.startsWith('data.') && r.address !== address && r.attribute !== 'depends_on');
    if (direct.length === 0) return undefined;
    const rank = (r: Reference): number => {
      const i = OWNER_ATTRIBUTES.indexOf(r.attribute);
      return i >= 0 ? i : OWNER_ATTRIBUTES.length;
    };
    const best = [...direct].sort((a, b) => rank(a) - rank(b) || compare(a.address, b.address))[0];
    return this.ownerOf(best.address) || undefined;
  }

  /** A role, log group, key or API key belongs to whatever uses it; if several routes share it, to their API. */
  private incomingOwner(address: string): string | undefined {
    const users = (this.incoming.get(address) ?? []).filter(
      (from) => !from.startsWith('data.') && typeOf(from) !== ALARM_TYPE && NODE_TYPES[typeOf(from)]?.kind !== 'dashboard',
    );
    const owners = [...new Set(users.map((u) => this.ownerOf(u)).filter(Boolean))];
    if (owners.length === 0) return undefined;
    if (owners.length === 1) return owners[0];
    const parents = [...new Set(owners.map((o) => this.nodes.get(o)?.parent ?? o))];
    return parents.length === 1 ? parents[0] : owners.sort(compare)[0];
  }

  /** A standalone managed policy belongs to what its document grants access to. */
  private policyOwner(address: string): string | undefined {
    for (const doc of (this.refs.get(address) ?? []).filter((r) => r.address.startsWith('data.'))) {
      for (const ref of this.refs.get(doc.address) ?? []) {
        if (!ref.address.startsWith('data.')) {
          const owner = this.ownerOf(ref.address);
          if (owner) return owner;
        }
      }
    }
    return undefined;
  }

  // ---- edges

  private addEdges(): void {
    for (const node of this.nodes.values()) {
      if (node.kind === 'api') this.edge(CLIENT_ID, node.id);
      if (node.kind === 'route' && node.parent) this.edge(node.parent, node.id);
    }
    for (const [address, config] of this.resources) {
      switch (typeOf(address)) {
        case 'aws_api_gateway_integration':
        case 'aws_apigatewayv2_integration':
          this.integrationEdges(address, config);
          break;
        case 'aws_api_gateway_method':
        case 'aws_apigatewayv2_route':
          this.authorizerEdge(address);
          break;
        case 'aws_lambda_event_source_mapping':
          this.mappingEdges(address, config);
          break;
        case 'aws_sqs_queue':
          this.redriveEdge(address, config);
          break;
        case 'aws_dynamodb_kinesis_streaming_destination': {
          const table = this.firstRef(address, ['table_name']);
          const stream = this.firstRef(address, ['stream_arn']);
          if (table && stream) this.edge(nodeId(table), nodeId(stream), 'item changes');
          break;
        }
        case 'aws_secretsmanager_secret_rotation': {
          const secret = this.firstRef(address, ['secret_id']);
          const fn = this.firstRef(address, ['rotation_lambda_arn']);
          const days = (config.rotation_rules as Record<string, unknown> | undefined)?.automatically_after_days;
          if (secret && fn) this.edge(nodeId(secret), nodeId(fn), days ? `rotation every ${String(days)} days` : 'rotation', true);
          break;
        }
        case ALARM_TYPE:
          this.alarmEdges(config);
          break;
        default:
          break;
      }
    }
    // What each function's role lets it reach, unless an edge above already says it.
    for (const address of this.resources.keys()) {
      if (typeOf(address) !== 'aws_lambda_function') continue;
      const role = this.firstRef(address, ['role']);
      if (!role) continue;
      for (const [target, actions] of this.grants(role)) {
        const from = nodeId(address);
        if (target === from || this.edges.some((e) => (e.from === from && e.to === target) || (e.from === target && e.to === from))) continue;
        this.edge(from, target, shortActions(actions));
      }
    }
  }

  private integrationEdges(address: string, config: Readonly<Record<string, unknown>>): void {
    const route = this.owners.get(address);
    if (!route || this.nodes.get(route)?.kind !== 'route') return;
    const fn = this.firstRef(address, ['uri', 'integration_uri']);
    if (fn && typeOf(fn) === 'aws_lambda_function') {
      this.edge(route, nodeId(fn), 'Lambda proxy');
      return;
    }
    const serviceAction = SERVICE_ACTION_URI.exec(String(config.uri ?? ''));
    const label = serviceAction ? `${serviceAction[1]}:${serviceAction[2]}` : typeof config.integration_subtype === 'string' ? config.integration_subtype : undefined;
    const api = this.nodes.get(route)?.parent;
    // The target named in the integration itself (a queue URL, a table name in a parameter) ...
    let targets = (this.refs.get(address) ?? [])
      .filter((r) => !r.address.startsWith('data.') && !['credentials', 'credentials_arn', 'http_method', 'resource_id', 'rest_api_id', 'api_id'].includes(r.attribute))
      .map((r) => this.owners.get(r.address) ?? this.ownerOf(r.address))
      .filter((id) => id && id !== route && id !== api && isDataNode(this.nodes.get(id)?.kind));
    // ... else what the integration's role may do with that action ...
    if (targets.length === 0 && serviceAction) {
      const role = this.firstRef(address, ['credentials', 'credentials_arn']);
      const action = `${serviceAction[1]}:${serviceAction[2]}`;
      if (role) targets = [...this.grants(role)].filter(([, actions]) => actions.some((a) => actionMatches(a, action))).map(([t]) => t);
      // ... else, for an account-wide action (kinesis:ListStreams), every node of that service.
      if (targets.length === 0) {
        const kind = SERVICE_KINDS[serviceAction[1]];
        targets = [...this.nodes.values()].filter((n) => n.kind === kind).map((n) => n.id);
      }
    }
    for (const target of [...new Set(targets)].sort(compare)) this.edge(route, target, label);
  }

  private authorizerEdge(address: string): void {
    const authorizer = this.firstRef(address, ['authorizer_id']);
    if (!authorizer) return;
    const fn = this.firstRef(authorizer, ['authorizer_uri']);
    if (fn) this.edge(nodeId(address), nodeId(fn), 'authorizer', true);
  }

  private mappingEdges(address: string, config: Readonly<Record<string, unknown>>): void {
    const source = this.firstRef(address, ['event_source_arn']);
    const fn = this.firstRef(address, ['function_name']);
    if (!source || !fn) return;
    const batch = typeof config.batch_size === 'number' ? `batches of ≤ ${config.batch_size}` : 'event source mapping';
    this.edge(this.ownerOf(source), nodeId(fn), batch);
    const destination = this.firstRef(address, ['destination_arn']);
    if (destination) this.edge(nodeId(fn), this.ownerOf(destination), 'on failure', true);
  }

  private redriveEdge(address: string, config: Readonly<Record<string, unknown>>): void {
    const dlq = (this.refs.get(address) ?? []).find((r) => r.attribute === 'redrive_policy')?.address;
    if (!dlq) return;
    const receives = /maxReceiveCount"?\s*[=:]\s*(\d+)/.exec(String(config.redrive_policy))?.[1];
    this.edge(nodeId(address), this.ownerOf(dlq), receives ? `after ${receives} receives` : 'redrive', true);
  }

  private alarmEdges(config: Readonly<Record<string, unknown>>): void {
    for (const key of ['alarm_actions', 'ok_actions']) {
      const actions = Array.isArray(config[key]) ? (config[key] as unknown[]) : [];
      for (const action of actions.map(String)) {
        const topic = this.referencesIn(action).find((r) => !r.address.startsWith('data.'))?.address;
        if (topic) {
          this.edge(ALARMS_ID, this.ownerOf(topic), 'alarm and OK actions', true);
        } else if (/^arn:aws[-a-z]*:sns:/.test(action)) {
          // A topic outside the stack (PIPELINES_ALARM_TOPIC_ARN).
          const id = `external_${action.split(':').pop()!.replace(/[^A-Za-z0-9_]/g, '_')}`;
          this.nodes.set(id, { id, kind: 'external', kindLabel: 'existing SNS topic', name: action.split(':').pop()! });
          this.edge(ALARMS_ID, id, 'alarm and OK actions', true);
        }
      }
    }
  }

  /** Node → actions that a role's inline policies allow on it. */
  private grants(role: string): Map<string, string[]> {
    const result = new Map<string, string[]>();
    const policies = (this.incoming.get(role) ?? []).filter((p) => typeOf(p) === 'aws_iam_role_policy' || typeOf(p) === 'aws_iam_role_policy_attachment');
    for (const policy of policies) {
      for (const doc of (this.refs.get(policy) ?? []).filter((r) => r.address.startsWith('data.aws_iam_policy_document.'))) {
        const statements = (this.data.get(doc.address)?.statement ?? []) as Record<string, unknown>[];
        for (const statement of statements) {
          if (statement.effect === 'Deny') continue;
          const actions = ((statement.actions ?? []) as unknown[]).map(String);
          for (const ref of this.referencesIn(statement.resources ?? [])) {
            if (ref.address.startsWith('data.') || typeOf(ref.address) === 'aws_cloudwatch_log_group') continue;
            const target = this.ownerOf(ref.address);
            if (!target || !isDataNode(this.nodes.get(target)?.kind)) continue;
            result.set(target, [...new Set([...(result.get(target) ?? []), ...actions])].sort(compare));
          }
        }
      }
    }
    return new Map([...result].sort(([a], [b]) => compare(a, b)));
  }

  // ---- references

  private referencesIn(value: unknown, attribute = ''): Reference[] {
    const found: Reference[] = [];
    const walk = (v: unknown, attr: string): void => {
      if (typeof v === 'string') {
        if (!v.includes('${')) return;
        for (const match of v.matchAll(/(?<![\w.])(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)) {
          const address = `${match[1] ?? ''}${match[2]}.${match[3]}`;
          if ((this.resources.has(address) || this.data.has(address)) && !found.some((f) => f.address === address && f.attribute === attr)) {
            found.push({ attribute: attr, address });
          }
        }
      } else if (Array.isArray(v)) {
        v.forEach((item) => walk(item, attr));
      } else if (v && typeof v === 'object') {
        for (const [key, item] of Object.entries(v)) {
          if (key === '//' || key === 'depends_on' || key === 'lifecycle') continue;
          walk(item, key);
        }
      }
    };
    walk(value, attribute);
    return found;
  }

  private firstRef(address: string, attributes: readonly string[]): string | undefined {
    for (const attribute of attributes) {
      const ref = (this.refs.get(address) ?? []).find((r) => r.attribute === attribute);
      if (ref) return ref.address;
    }
    return undefined;
  }

  private refAttribute(from: string, to: string): string | undefined {
    return (this.refs.get(from) ?? []).find((r) => r.address === to)?.attribute;
  }

  private edge(from: string, to: string, label?: string, dotted = false): void {
    if (!from || !to || from === to) return;
    this.edges.push({ from, to, ...(label ? { label } : {}), ...(dotted ? { dotted } : {}) });
  }
}

/** Kinds a route or function reads or writes (not the API plumbing around them). */
function isDataNode(kind: NodeKind | undefined): boolean {
  return kind === 'table' || kind === 'stream' || kind === 'queue' || kind === 'secret' || kind === 'topic' || kind === 'bucket';
}

function actionMatches(granted: string, action: string): boolean {
  if (granted === action) return true;
  if (!granted.includes('*')) return false;
  return new RegExp(`^${granted.split('*').map(escapeRegExp).join('.*')}$`).test(action);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `dynamodb:GetItem, dynamodb:PutItem` → `GetItem, PutItem`; long lists end in `+n`. */
function shortActions(actions: readonly string[]): string {
  const names = [...new Set(actions.map((a) => a.split(':').pop()!))];
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} +${names.length - 3}`;
}

export function typeOf(address: string): string {
  return address.startsWith('data.') ? address.split('.')[1] : address.split('.')[0];
}

/** Mermaid ids allow letters, digits and underscores without quoting. */
export function nodeId(address: string): string {
  return address.slice(address.indexOf('.') + 1).replace(/[^A-Za-z0-9_]/g, '_');
}

/** `Consuming_FailureQueue_7439D7C4` → `Consuming FailureQueue`, for resources without a literal name. */
function readableLogicalId(address: string): string {
  return address.slice(address.indexOf('.') + 1).replace(/_[0-9A-F]{8}$/, '').replace(/_/g, ' ');
}

function dedupe(edges: readonly DiagramEdge[]): DiagramEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const key = `${e.from}|${e.to}|${e.label ?? ''}|${e.dotted ? 1 : 0}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sorted<T>(entries: [string, T][]): [string, T][] {
  return entries.sort(([a], [b]) => compare(a, b));
}
