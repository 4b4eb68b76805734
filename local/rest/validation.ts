import Ajv from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Method } from '@aws-sdk/client-api-gateway';
import { GatewayError } from './gateway-responses';

/**
 * Request validators: required request parameters, then the body against the method's model for
 * the request's content type (JSON Schema draft 4). Messages follow API Gateway's wording, whose
 * body messages come from the json-schema-validator library it runs
 * (`[object has missing required properties (["message"])]`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
 */
export interface ValidationInput {
  readonly method: Method;
  readonly validator?: { readonly validateRequestBody: boolean; readonly validateRequestParameters: boolean };
  readonly models: ReadonlyMap<string, string>;
  readonly contentType: string;
  readonly body: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly headers: Readonly<Record<string, readonly string[]>>;
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new Map<string, ValidateFunction>();

export function validateRequest(input: ValidationInput): GatewayError | undefined {
  if (!input.validator) return undefined;
  if (input.validator.validateRequestParameters) {
    const missing = Object.entries(input.method.requestParameters ?? {})
      .filter(([, required]) => required)
      .map(([name]) => name)
      .filter((name) => !isPresent(name, input));
    if (missing.length > 0) {
      const names = missing.map((m) => m.replace(/^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\./, ''));
      return { type: 'BAD_REQUEST_PARAMETERS', message: `Missing required request parameters: [${names.join(', ')}]` };
    }
  }
  if (input.validator.validateRequestBody) {
    const models = input.method.requestModels ?? {};
    const modelName = models[input.contentType] ?? models.$default;
    const schema = modelName ? input.models.get(modelName) : undefined;
    if (schema === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(input.body === '' ? '{}' : input.body);
    } catch (error) {
      return { type: 'BAD_REQUEST_BODY', message: 'Invalid request body', validationErrorString: `[Invalid JSON: ${(error as Error).message}]` };
    }
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(JSON.parse(schema) as object);
      compiled.set(schema, validate);
    }
    if (!validate(value)) {
      return { type: 'BAD_REQUEST_BODY', message: 'Invalid request body', validationErrorString: `[${describeErrors(validate.errors ?? []).join(', ')}]` };
    }
  }
  return undefined;
}

function isPresent(name: string, input: ValidationInput): boolean {
  const match = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(name);
  if (!match) return true;
  const [, where, key] = match;
  if (where === 'path') return input.pathParameters[key] !== undefined;
  if (where.endsWith('querystring')) return (input.query[key] ?? []).length > 0;
  return (input.headers[key.toLowerCase()] ?? []).length > 0;
}

/** json-schema-validator's wording for the keywords our models use; ajv's own message otherwise. */
export function describeErrors(errors: readonly ErrorObject[]): string[] {
  const messages: string[] = [];
  const missing = new Map<string, string[]>();
  for (const e of errors) {
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required': {
        const list = missing.get(e.instancePath) ?? [];
        list.push(String(params.missingProperty));
        missing.set(e.instancePath, list);
        break;
      }
      case 'additionalProperties':
        messages.push(`object instance has properties which are not allowed by the schema: ["${String(params.additionalProperty)}"]`);
        break;
      case 'maxLength':
      case 'minLength': {
        const text = String(valueAt(e));
        const long = e.keyword === 'maxLength';
        messages.push(
          `string "${text.length > 40 ? `${text.slice(0, 40)}...` : text}" is too ${long ? 'long' : 'short'} (length: ${text.length}, ${long ? 'maximum allowed' : 'required minimum'}: ${String(params.limit)})`,
        );
        break;
      }
      case 'type':
        messages.push(`instance type (${jsonType(valueAt(e))}) does not match any allowed primitive type (allowed: ["${String(params.type)}"])`);
        break;
      default:
        messages.push(`${e.instancePath || 'instance'} ${e.message ?? 'is invalid'}`);
    }
  }
  for (const [, names] of missing) messages.unshift(`object has missing required properties (${JSON.stringify(names.sort())})`);
  return messages;
}

function valueAt(e: ErrorObject): unknown {
  return (e as ErrorObject & { data?: unknown }).data;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
