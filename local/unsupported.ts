import { parseActionUri, supportsService } from './aws/service-call';
import { HttpApiDefinition } from './http/definition';
import { RestApiDefinition } from './rest/definition';

/**
 * Everything deployed that the local data plane does not do, said once at start instead of being
 * silently ignored. Stage throttling and usage-plan quotas are left out on purpose.
 */
export function unsupportedFeatures(rest: readonly RestApiDefinition[], httpApis: readonly HttpApiDefinition[]): string[] {
  const notes: string[] = [
    'stage throttling (rate/burst) and usage-plan throttling and quotas are not enforced locally',
    'AWS_IAM methods: the SigV4 signature is verified against the emulator credentials (testing/testing), but no IAM policy is evaluated',
    'APIs are served from their current definitions in the emulator, not from a deployment snapshot of the stage',
    'stage access logs, execution logs, metrics and X-Ray tracing are not produced locally (the request log line and .local/logs stand in)',
  ];
  for (const api of rest) {
    for (const resource of api.resources) {
      for (const [verb, method] of Object.entries(resource.methods)) {
        const where = `${api.name} ${verb} ${resource.path}`;
        const auth = method.authorizationType ?? 'NONE';
        if (auth !== 'NONE' && auth !== 'AWS_IAM') notes.push(`${where}: authorization ${auth} is not supported (answers 500)`);
        const integration = method.methodIntegration;
        if (!integration) continue;
        if (integration.type === 'AWS') {
          const action = parseActionUri(integration.uri ?? '');
          if (!action || !supportsService(action.service)) notes.push(`${where}: AWS integration ${integration.uri} is not supported (answers 500)`);
        } else if (integration.type !== 'MOCK' && (integration.type !== 'AWS_PROXY' || !/:lambda:path\//.test(integration.uri ?? ''))) {
          notes.push(`${where}: integration type ${integration.type} is not supported (answers 500)`);
        }
        if (integration.contentHandling) notes.push(`${where}: contentHandling ${integration.contentHandling} is ignored`);
      }
    }
  }
  for (const api of httpApis) {
    for (const route of api.routes) {
      const where = `${api.name} ${route.routeKey}`;
      const i = route.integration;
      if (!(i?.type === 'AWS_PROXY' && i.subtype === 'SQS-SendMessage')) notes.push(`${where}: integration ${i?.type ?? 'none'} ${i?.subtype ?? ''} is not supported (answers 500)`);
      if (route.authorizationType !== 'NONE' && route.authorizationType !== 'CUSTOM') notes.push(`${where}: authorization ${route.authorizationType} is not supported`);
      if (route.authorizer && (route.authorizer.type !== 'REQUEST' || route.authorizer.payloadFormatVersion !== '2.0' || !route.authorizer.simpleResponses)) {
        notes.push(`${where}: only REQUEST authorizers with payload 2.0 simple responses are supported`);
      }
    }
  }
  return notes;
}
