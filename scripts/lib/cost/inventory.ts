/**
 * What a stack deploys, in the one form the pricing rules read: each managed resource with its
 * attribute values, and the links between resources (which attribute of one names another). It is
 * built from the synthesized configuration (`cdk.tf.json`, where links are `${type.name.attr}`
 * references) or from one side of a plan (`terraform show -json`, where links are the concrete ARNs
 * and names the attributes hold, plus the configuration's references for values not yet known), so
 * the same rules price a stack, and a plan's before and after.
 */

export interface PricedResource {
  readonly address: string;
  readonly type: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** `from`'s top-level `attribute` names `to`. */
export interface Link {
  readonly from: string;
  readonly to: string;
  readonly attribute: string;
}

export interface Inventory {
  readonly resources: readonly PricedResource[];
  readonly links: readonly Link[];
}

/** The part of a synthesized stack (`cdk.tf.json`) the inventory reads. */
export interface SynthesizedConfig {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

/** A resource named anywhere inside a `${…}` expression (`${aws_sqs_queue.Q.arn}`, `${jsonencode({… = aws_sqs_queue.Q.arn})}`). */
const EXPRESSION = /\$\{[^}]*\}/g;
const REFERENCE = /(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

export function inventoryFromConfig(config: SynthesizedConfig): Inventory {
  const resources: PricedResource[] = [];
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    for (const [name, values] of Object.entries(byName)) resources.push({ address: `${type}.${name}`, type, values });
  }
  const known = new Set(resources.map((r) => r.address));
  const links: Link[] = [];
  for (const resource of resources) {
    forEachString(resource.values, (attribute, text) => {
      for (const expression of text.match(EXPRESSION) ?? []) {
        for (const match of expression.matchAll(REFERENCE)) {
          const to = `${match[1]}.${match[2]}`;
          if (known.has(to) && to !== resource.address) links.push({ from: resource.address, to, attribute });
        }
      }
    });
  }
  return { resources, links: dedupe(links) };
}

/**
 * Resources with concrete values (state or plan): a link is an attribute string that is another
 * resource's name, or holds its ARN (bounded, so `…:queue` does not match `…:queue-dlq`).
 * `references` adds links the values cannot show yet (a plan's unknown-until-apply attributes).
 */
export function inventoryFromValues(resources: readonly PricedResource[], references: readonly Link[] = []): Inventory {
  const identities = resources.map((r) => ({ address: r.address, names: identitiesOf(r.values) }));
  const known = new Set(resources.map((r) => r.address));
  const links: Link[] = references.filter((l) => known.has(l.from) && known.has(l.to));
  for (const resource of resources) {
    forEachString(resource.values, (attribute, text) => {
      for (const other of identities) {
        if (other.address !== resource.address && other.names.some((id) => namesResource(text, id))) {
          links.push({ from: resource.address, to: other.address, attribute });
        }
      }
    });
  }
  return { resources, links: dedupe(links) };
}

function identitiesOf(values: Readonly<Record<string, unknown>>): string[] {
  return ['arn', 'id', 'name', 'function_name', 'url'].map((k) => values[k]).filter((v): v is string => typeof v === 'string' && v.length > 3);
}

function namesResource(text: string, identity: string): boolean {
  if (text === identity) return true;
  if (!identity.startsWith('arn:') && !identity.startsWith('https://')) return false;
  let at = text.indexOf(identity);
  while (at >= 0) {
    if (!/[A-Za-z0-9_.-]/.test(text.charAt(at + identity.length))) return true;
    at = text.indexOf(identity, at + 1);
  }
  return false;
}

/** Calls `visit(topLevelAttribute, string)` for every string anywhere in `values`. */
function forEachString(values: Readonly<Record<string, unknown>>, visit: (attribute: string, text: string) => void): void {
  const walk = (attribute: string, value: unknown): void => {
    if (typeof value === 'string') visit(attribute, value);
    else if (Array.isArray(value)) value.forEach((v) => walk(attribute, v));
    else if (value && typeof value === 'object') Object.values(value).forEach((v) => walk(attribute, v));
  };
  for (const [attribute, value] of Object.entries(values)) if (attribute !== '//') walk(attribute, value);
}

function dedupe(links: readonly Link[]): Link[] {
  const seen = new Map(links.map((l) => [`${l.from} ${l.attribute} ${l.to}`, l]));
  return [...seen.values()];
}

/** A nested block as an object, whether written as one (cdk.tf.json) or as a one-element list (plan and state JSON). */
export function block(values: Readonly<Record<string, unknown>>, key: string): Readonly<Record<string, unknown>> {
  const value = values[key];
  if (Array.isArray(value)) return (value[0] ?? {}) as Record<string, unknown>;
  return (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
}
