import type { ErrorCode } from '../shared/error-codes';
import { RESOURCE_KINDS } from '../tokens/resources';
import type { JsonSchema, ResponseDoc } from './types';

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** A JSON answer. */
export const json = (description: string, schema: JsonSchema, example?: unknown): ResponseDoc => ({
  description,
  content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
});

/** `{data: <schema>}`. */
export const dataOf = (schema: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['data'],
  properties: { data: schema },
});

const ERROR_NAMES: Record<number, string> = {
  400: 'ValidationError',
  401: 'UnauthorizedError',
  403: 'PolicyError',
  404: 'NotFoundError',
  409: 'ConflictError',
  429: 'RateLimitError',
};

/** Strapi's error body, `{data: null, error: {status, name, message, details}}`. */
export const errorBody = (status: number, details: JsonSchema = { type: 'object' }, name?: string): JsonSchema => ({
  type: 'object',
  required: ['data', 'error'],
  properties: {
    data: { type: 'null' },
    error: {
      type: 'object',
      required: ['status', 'name', 'message', 'details'],
      properties: {
        status: { const: status },
        name: { const: name ?? ERROR_NAMES[status] },
        message: { type: 'string' },
        details,
      },
    },
  },
});

/** An error answer whose `details.code` tells the cases apart (the codes of `shared/error-codes.ts`). */
export const codedError = (
  status: number,
  description: string,
  codes: ErrorCode[],
  more: Record<string, JsonSchema> = {},
  name?: string
): ResponseDoc =>
  json(
    `${description} (\`details.code\`: ${codes.join(' or ')})`,
    errorBody(status, { type: 'object', required: ['code'], properties: { code: { enum: codes }, ...more } }, name)
  );

/** An error answer without a code. */
export const error = (status: number, description: string, name?: string): ResponseDoc =>
  json(description, errorBody(status, { type: 'object' }, name));

/** A 400 listing every problem with its field path, as Strapi's yup validation does. */
export const validationError = (description: string): ResponseDoc => json(description, ref('ValidationErrorBody'));

/** The answers of the has-scope policy, added to every route guarded by it. */
export const policyResponses = (hasScopes: boolean): Record<number, ResponseDoc> => {
  const responses: Record<number, ResponseDoc> = {
    401: {
      ...error(
        401,
        'No, malformed, unknown, revoked or expired API token, or a request from outside its IP allowlist (one message for every reason)'
      ),
      headers: { 'WWW-Authenticate': { description: '`Bearer realm="api-tokens"`', schema: { type: 'string' } } },
    },
    429: {
      ...json(
        "Past the token's requests per minute, or too many failed authentications from this client IP",
        errorBody(429, {
          type: 'object',
          required: ['retryAfterSeconds'],
          properties: { retryAfterSeconds: { type: 'integer', minimum: 0 } },
        })
      ),
      headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'string' } } },
    },
  };
  if (hasScopes) {
    responses[403] = json(
      'The API token lacks a required scope (`details.requiredScopes`), or it is restricted to other targets than ' +
        'this one (`details.kind`, `details.target`: a fine-grained token)',
      errorBody(403, {
        oneOf: [
          {
            type: 'object',
            required: ['requiredScopes'],
            properties: { requiredScopes: { type: 'array', items: { type: 'string' } } },
          },
          {
            type: 'object',
            required: ['kind', 'target'],
            properties: { kind: { enum: [...RESOURCE_KINDS] }, target: { type: 'string' } },
          },
        ],
      })
    );
  }
  return responses;
};
