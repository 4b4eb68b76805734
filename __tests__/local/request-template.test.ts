import { chooseRequestTemplate, mediaType } from '../../local/rest/request-template';

// AWS: "Method request behavior for payloads without mapping templates" (passthrough behaviours)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
describe('request template selection and passthrough behaviour', () => {
  const templates = { 'application/json': '{"a":1}' };

  it('selects by media type, ignoring parameters and case; no Content-Type means application/json', () => {
    expect(mediaType('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaType(undefined)).toBe('application/json');
    expect(chooseRequestTemplate({ requestTemplates: templates, passthroughBehavior: 'NEVER' }, 'application/json')).toEqual({ kind: 'template', template: '{"a":1}' });
  });

  it('NEVER refuses an unmapped content type (415)', () => {
    expect(chooseRequestTemplate({ requestTemplates: templates, passthroughBehavior: 'NEVER' }, 'text/plain')).toEqual({ kind: 'unsupported' });
  });

  it('WHEN_NO_MATCH passes an unmapped body through', () => {
    expect(chooseRequestTemplate({ requestTemplates: templates, passthroughBehavior: 'WHEN_NO_MATCH' }, 'text/plain')).toEqual({ kind: 'passthrough' });
  });

  it('WHEN_NO_TEMPLATES passes through only when no template is defined', () => {
    expect(chooseRequestTemplate({ requestTemplates: {}, passthroughBehavior: 'WHEN_NO_TEMPLATES' }, 'text/plain')).toEqual({ kind: 'passthrough' });
    expect(chooseRequestTemplate({ requestTemplates: templates, passthroughBehavior: 'WHEN_NO_TEMPLATES' }, 'text/plain')).toEqual({ kind: 'unsupported' });
  });
});
