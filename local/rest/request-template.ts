import { Integration } from '@aws-sdk/client-api-gateway';

/**
 * Which request mapping template applies: the one for the request's Content-Type (media type
 * only, lower case; `application/json` when the header is absent), else the passthrough
 * behaviour decides: WHEN_NO_MATCH passes the body through unmapped, WHEN_NO_TEMPLATES only when
 * the integration has no template at all, NEVER refuses with 415 Unsupported Media Type.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
 */
export type TemplateChoice = { readonly kind: 'template'; readonly template: string } | { readonly kind: 'passthrough' } | { readonly kind: 'unsupported' };

export function mediaType(contentTypeHeader: string | undefined): string {
  const type = (contentTypeHeader ?? '').split(';')[0].trim().toLowerCase();
  return type === '' ? 'application/json' : type;
}

export function chooseRequestTemplate(integration: Integration, contentType: string): TemplateChoice {
  const templates = integration.requestTemplates ?? {};
  const template = templates[contentType];
  if (template !== undefined) return { kind: 'template', template };
  const behaviour = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
  if (behaviour === 'WHEN_NO_MATCH') return { kind: 'passthrough' };
  if (behaviour === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length === 0) return { kind: 'passthrough' };
  return { kind: 'unsupported' };
}
