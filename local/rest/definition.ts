import {
  APIGatewayClient,
  GetApiKeysCommand,
  GetGatewayResponsesCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  Method,
} from '@aws-sdk/client-api-gateway';
import { emulatorClient, EmulatorTarget } from '../aws/clients';

/**
 * A deployed REST API as the emulator's control plane returns it: resources with their methods
 * and integrations (GetResources with `embed=methods`), validators, models, gateway responses,
 * the stage, and the API keys that a usage plan of that stage accepts.
 */
export interface RestApiDefinition {
  readonly id: string;
  readonly name: string;
  /** The stack that deployed it (the provider's default `pipeline` tag). */
  readonly stack?: string;
  readonly stage: string;
  readonly resources: readonly RestResource[];
  readonly validators: ReadonlyMap<string, { validateRequestBody: boolean; validateRequestParameters: boolean }>;
  /** Model name -> JSON schema (draft 4) text. */
  readonly models: ReadonlyMap<string, string>;
  readonly gatewayResponses: ReadonlyMap<string, GatewayResponseDefinition>;
  /** Values of the enabled API keys attached, through a usage plan, to this API's stage. */
  readonly apiKeys: ReadonlyMap<string, { id: string }>;
}

export interface RestResource {
  readonly id: string;
  readonly path: string;
  readonly methods: Readonly<Record<string, Method>>;
}

export interface GatewayResponseDefinition {
  readonly statusCode?: string;
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: Readonly<Record<string, string>>;
}

export async function loadRestApis(target: EmulatorTarget): Promise<RestApiDefinition[]> {
  const client = emulatorClient(APIGatewayClient, target);
  const [apis, keys, plans] = await Promise.all([
    client.send(new GetRestApisCommand({ limit: 500 })),
    client.send(new GetApiKeysCommand({ includeValues: true, limit: 500 })),
    client.send(new GetUsagePlansCommand({ limit: 500 })),
  ]);
  const planKeys = new Map<string, string[]>();
  await Promise.all(
    (plans.items ?? []).map(async (plan) => {
      const attached = await client.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id!, limit: 500 }));
      planKeys.set(plan.id!, (attached.items ?? []).map((k) => k.id!));
    }),
  );
  const keyById = new Map((keys.items ?? []).map((k) => [k.id!, k]));

  return Promise.all(
    (apis.items ?? []).map(async (api): Promise<RestApiDefinition> => {
      const restApiId = api.id!;
      const [resources, validators, models, responses, stages] = await Promise.all([
        client.send(new GetResourcesCommand({ restApiId, embed: ['methods'], limit: 500 })),
        client.send(new GetRequestValidatorsCommand({ restApiId, limit: 500 })),
        client.send(new GetModelsCommand({ restApiId, limit: 500 })),
        client.send(new GetGatewayResponsesCommand({ restApiId, limit: 500 })),
        client.send(new GetStagesCommand({ restApiId })),
      ]);
      const stage = stages.item?.[0]?.stageName ?? 'v1';
      const apiKeys = new Map<string, { id: string }>();
      for (const plan of plans.items ?? []) {
        if (!(plan.apiStages ?? []).some((s) => s.apiId === restApiId && s.stage === stage)) continue;
        for (const keyId of planKeys.get(plan.id!) ?? []) {
          const key = keyById.get(keyId);
          if (key?.enabled && key.value) apiKeys.set(key.value, { id: keyId });
        }
      }
      return {
        id: restApiId,
        name: api.name ?? restApiId,
        stack: api.tags?.pipeline,
        stage,
        resources: (resources.items ?? []).map((r) => ({ id: r.id!, path: r.path!, methods: r.resourceMethods ?? {} })),
        validators: new Map(
          (validators.items ?? []).map((v) => [v.id!, { validateRequestBody: v.validateRequestBody ?? false, validateRequestParameters: v.validateRequestParameters ?? false }]),
        ),
        models: new Map((models.items ?? []).map((m) => [m.name!, m.schema ?? '{}'])),
        gatewayResponses: new Map(
          (responses.items ?? []).map((g) => [
            g.responseType!,
            { statusCode: g.statusCode, responseParameters: g.responseParameters ?? {}, responseTemplates: g.responseTemplates ?? {} },
          ]),
        ),
        apiKeys,
      };
    }),
  );
}
