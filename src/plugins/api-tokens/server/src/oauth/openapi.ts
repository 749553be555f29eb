import { json } from '../openapi/responses';
import type { ApiDescription, JsonSchema, OperationDoc, ResponseDoc } from '../openapi/types';

const oauthError = (status: number, description: string, codes: string[]): ResponseDoc =>
  json(description, {
    type: 'object',
    required: ['error', 'error_description'],
    properties: { error: { enum: codes }, error_description: { type: 'string' } },
  });

const fields: Record<string, JsonSchema> = {
  grant_type: { const: 'client_credentials' },
  client_id: { type: 'string', description: "The API token's documentId (or send HTTP Basic)" },
  client_secret: { type: 'string', description: 'The API token itself (or send HTTP Basic)' },
  scope: { type: 'string', description: "Accepted and ignored: the API token's scopes govern" },
};

const DESCRIPTION =
  "Domo's `https://api.domo.com/oauth/token`, client-credentials grant (RFC 6749 §4.4): an API token trades itself " +
  'for a short-lived JWT (an hour at most) to use as the bearer of the other routes. Authenticate with HTTP Basic ' +
  '`client_id:client_secret` or with `client_id` and `client_secret` fields. Errors are RFC 6749 §5.2 bodies.';

const token = (method: 'GET' | 'POST'): OperationDoc => ({
  operationId: method === 'GET' ? 'oauthTokenGet' : 'oauthToken',
  summary: `OAuth access token${method === 'GET' ? ' (query string, as Domo allows)' : ''}`,
  description: DESCRIPTION,
  tag: 'OAuth',
  security: 'oauthClient',
  ...(method === 'GET'
    ? {
        parameters: Object.entries(fields).map(([name, schema]) => ({
          name,
          in: 'query' as const,
          description: (schema.description as string | undefined) ?? 'Must be client_credentials',
          required: name === 'grant_type',
          schema,
        })),
      }
    : {
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: { type: 'object', required: ['grant_type'], properties: fields },
              example: { grant_type: 'client_credentials' },
            },
          },
        },
      }),
  responses: {
    200: {
      ...json(
        'The access token',
        {
          type: 'object',
          required: ['access_token', 'token_type', 'expires_in', 'scope', 'userId'],
          properties: {
            access_token: { type: 'string' },
            token_type: { const: 'bearer' },
            expires_in: { type: 'integer', description: 'Seconds' },
            scope: { type: 'string', description: "The API token's scopes, space-separated" },
            userId: { type: 'string', description: "The API token's documentId" },
          },
        },
        {
          access_token: 'eyJhbGciOiJIUzI1NiIsInR5…',
          token_type: 'bearer',
          expires_in: 3600,
          scope: 'embed-tokens:create',
          userId: 'm4i2hum72u7hrqsq4cz8p8r7',
        }
      ),
      headers: { 'Cache-Control': { description: '`no-store`', schema: { type: 'string' } } },
    },
    400: oauthError(400, 'No or another grant_type, or a field given twice', [
      'invalid_request',
      'unsupported_grant_type',
    ]),
    401: {
      ...oauthError(401, 'No, unknown, wrong, revoked or expired client credentials', ['invalid_client']),
      headers: { 'WWW-Authenticate': { description: '`Basic realm="oauth"`', schema: { type: 'string' } } },
    },
    429: {
      ...oauthError(429, 'Too many failed authentications from this client IP', ['temporarily_unavailable']),
      headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'string' } } },
    },
  },
});

export const oauthApi: ApiDescription = {
  operations: { 'GET oauth.token': token('GET'), 'POST oauth.token': token('POST') },
};
