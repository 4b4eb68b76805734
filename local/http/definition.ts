import { ApiGatewayV2Client, GetApisCommand, GetAuthorizerCommand, GetIntegrationsCommand, GetRoutesCommand, GetStagesCommand } from '@aws-sdk/client-apigatewayv2';
import { emulatorClient, EmulatorTarget } from '../aws/clients';

/**
 * A deployed HTTP API (API Gateway v2) from the emulator's control plane. Authorizers are read one
 * by one from the routes that use them: moto 5.2's GetAuthorizers (the list) fails with a 500.
 */
export interface HttpApiDefinition {
  readonly id: string;
  readonly name: string;
  readonly stack?: string;
  readonly stage: string;
  readonly routes: readonly HttpRoute[];
}

export interface HttpRoute {
  readonly routeKey: string;
  readonly integration?: HttpIntegration;
  readonly authorizer?: HttpAuthorizer;
  readonly authorizationType: string;
}

export interface HttpIntegration {
  readonly id: string;
  readonly type: string;
  readonly subtype?: string;
  readonly uri?: string;
  readonly credentialsArn?: string;
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly payloadFormatVersion: string;
  readonly timeoutMs: number;
}

export interface HttpAuthorizer {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly uri: string;
  readonly payloadFormatVersion: string;
  readonly simpleResponses: boolean;
  readonly identitySources: readonly string[];
  readonly ttlSeconds: number;
}

export async function loadHttpApis(target: EmulatorTarget): Promise<HttpApiDefinition[]> {
  const client = emulatorClient(ApiGatewayV2Client, target);
  const apis = await client.send(new GetApisCommand({ MaxResults: '500' }));
  return Promise.all(
    (apis.Items ?? [])
      .filter((api) => api.ProtocolType === 'HTTP')
      .map(async (api): Promise<HttpApiDefinition> => {
        const ApiId = api.ApiId!;
        const [routes, integrations, stages] = await Promise.all([
          client.send(new GetRoutesCommand({ ApiId, MaxResults: '500' })),
          client.send(new GetIntegrationsCommand({ ApiId, MaxResults: '500' })),
          client.send(new GetStagesCommand({ ApiId, MaxResults: '500' })),
        ]);
        const authorizerIds = [...new Set((routes.Items ?? []).map((r) => r.AuthorizerId).filter((id): id is string => !!id))];
        const authorizers = new Map(
          await Promise.all(
            authorizerIds.map(async (AuthorizerId) => {
              const a = await client.send(new GetAuthorizerCommand({ ApiId, AuthorizerId }));
              const authorizer: HttpAuthorizer = {
                id: AuthorizerId,
                name: a.Name ?? AuthorizerId,
                type: a.AuthorizerType ?? 'REQUEST',
                uri: a.AuthorizerUri ?? '',
                payloadFormatVersion: a.AuthorizerPayloadFormatVersion ?? '2.0',
                simpleResponses: a.EnableSimpleResponses ?? false,
                identitySources: a.IdentitySource ?? [],
                ttlSeconds: a.AuthorizerResultTtlInSeconds ?? 0,
              };
              return [AuthorizerId, authorizer] as const;
            }),
          ),
        );
        const integrationById = new Map(
          (integrations.Items ?? []).map((i) => [
            i.IntegrationId!,
            {
              id: i.IntegrationId!,
              type: i.IntegrationType ?? 'AWS_PROXY',
              subtype: i.IntegrationSubtype,
              uri: i.IntegrationUri,
              credentialsArn: i.CredentialsArn,
              requestParameters: i.RequestParameters ?? {},
              payloadFormatVersion: i.PayloadFormatVersion ?? '1.0',
              timeoutMs: i.TimeoutInMillis ?? 30000,
            } satisfies HttpIntegration,
          ]),
        );
        return {
          id: ApiId,
          name: api.Name ?? ApiId,
          stack: api.Tags?.pipeline,
          stage: stages.Items?.[0]?.StageName ?? '$default',
          routes: (routes.Items ?? []).map((r) => ({
            routeKey: r.RouteKey!,
            integration: integrationById.get((r.Target ?? '').replace(/^integrations\//, '')),
            authorizer: r.AuthorizerId ? authorizers.get(r.AuthorizerId) : undefined,
            authorizationType: r.AuthorizationType ?? 'NONE',
          })),
        };
      }),
  );
}
