import { DiagramNode, NodeKind, StackGraph, typeOf, nodeId } from './diagram-graph';

/**
 * Draws a stack graph as a Mermaid flowchart (GitHub renders ```mermaid blocks natively:
 * https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams),
 * optionally with a plan's changes marked on the nodes they land in. Pure and deterministic.
 */

/** What a plan does to one resource, in the plan summary's terms. */
export type ChangeAction = 'add' | 'change' | 'replace' | 'destroy';

export interface DiagramChange {
  /** Terraform address; an index (`[0]`, `["a"]`) is ignored. */
  readonly address: string;
  readonly action: ChangeAction;
  /** Name the resource had, for a destroyed resource the code no longer has. */
  readonly name?: string;
}

/** Marker and colour per action: the marker keeps the diagram readable without colour. */
export const CHANGE_STYLES: Readonly<Record<ChangeAction, { readonly marker: string; readonly word: string; readonly style: string }>> = {
  add: { marker: '➕', word: 'added', style: 'fill:#dafbe1,stroke:#1a7f37,stroke-width:2px' },
  change: { marker: '✏️', word: 'changed', style: 'fill:#fff8c5,stroke:#9a6700,stroke-width:2px' },
  replace: { marker: '♻️', word: 'replaced', style: 'fill:#ffebd8,stroke:#bc4c00,stroke-width:3px' },
  destroy: { marker: '🗑️', word: 'destroyed', style: 'fill:#ffebe9,stroke:#cf222e,stroke-width:3px,stroke-dasharray:5 3' },
};

const SHAPES: Readonly<Record<NodeKind, readonly [string, string]>> = {
  client: ['((', '))'],
  api: ['{{', '}}'],
  route: ['[', ']'],
  function: ['([', '])'],
  table: ['[(', ')]'],
  bucket: ['[(', ')]'],
  stream: ['[/', '/]'],
  queue: ['[/', '\\]'],
  secret: ['[[', ']]'],
  topic: ['>', ']'],
  external: ['>', ']'],
  alarms: ['(', ')'],
  dashboard: ['(', ')'],
  account: ['[', ']'],
  other: ['[', ']'],
};

/** The flowchart text (without the ```mermaid fence). */
export function renderMermaid(graph: StackGraph, changes?: readonly DiagramChange[]): string {
  const status = changes ? nodeStatus(graph, changes) : new Map<string, ChangeAction>();
  const nodes: DiagramNode[] = [...graph.nodes];
  // A destroyed resource is no longer in the code: it is drawn on its own, where nothing can point at it.
  for (const change of changes ?? []) {
    const address = baseAddress(change.address);
    if (graph.ownerOf.has(address) || typeOf(address).startsWith('data')) continue;
    const id = nodeId(address);
    if (nodes.some((n) => n.id === id)) continue;
    nodes.push({ id, kind: 'other', kindLabel: typeOf(address), name: change.name ?? address.slice(address.indexOf('.') + 1), address });
    status.set(id, change.action);
  }

  const lines = ['flowchart LR'];
  for (const node of nodes) {
    const action = status.get(node.id);
    const head = action ? `${CHANGE_STYLES[action].marker} ${node.kindLabel}` : node.kindLabel;
    const text = node.name ? `${head}<br/>${node.name}` : head;
    const [open, close] = SHAPES[node.kind];
    lines.push(`  ${node.id}${open}"${escape(text)}"${close}`);
  }
  for (const edge of graph.edges) {
    const arrow = edge.dotted ? '-.->' : '-->';
    lines.push(`  ${edge.from} ${arrow}${edge.label ? `|"${escape(edge.label)}"|` : ''} ${edge.to}`);
  }
  const used = (Object.keys(CHANGE_STYLES) as ChangeAction[]).filter((a) => [...status.values()].includes(a));
  for (const action of used) {
    lines.push(`  classDef ${CHANGE_STYLES[action].word} ${CHANGE_STYLES[action].style}`);
    const ids = nodes.filter((n) => status.get(n.id) === action).map((n) => n.id);
    lines.push(`  class ${ids.join(',')} ${CHANGE_STYLES[action].word}`);
  }
  return lines.join('\n');
}

/**
 * The action a node shows: its own resource's action if that changes; `add` when everything in it
 * is new (a new pseudo node such as the alarms); otherwise `change` when anything folded into it
 * changes (a replaced role or a new permission changes the function, it does not replace it).
 */
export function nodeStatus(graph: StackGraph, changes: readonly DiagramChange[]): Map<string, ChangeAction> {
  const byAddress = new Map(changes.map((c) => [baseAddress(c.address), c.action]));
  const members = new Map<string, string[]>();
  for (const [address, owner] of graph.ownerOf) members.set(owner, [...(members.get(owner) ?? []), address]);
  const status = new Map<string, ChangeAction>();
  for (const node of graph.nodes) {
    const own = node.address ? byAddress.get(node.address) : undefined;
    const inside = (members.get(node.id) ?? []).map((a) => byAddress.get(a));
    if (own) status.set(node.id, own);
    else if (inside.length > 0 && inside.every((a) => a === 'add')) status.set(node.id, 'add');
    else if (inside.some((a) => a !== undefined)) status.set(node.id, 'change');
  }
  return status;
}

/** `aws_sqs_queue.Q["a"]` → `aws_sqs_queue.Q` (cdktf stacks rarely use count or for_each, but a plan may). */
function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

/** Mermaid labels in double quotes take any text but `"`, written as an entity. */
function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
