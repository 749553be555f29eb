import { dataOf, json } from '../openapi/responses';
import type { ApiDescription } from '../openapi/types';

export const tokenApi: ApiDescription = {
  operations: {
    'GET token.self': {
      operationId: 'getSelf',
      summary: 'The bearer API token itself',
      description: 'Any valid API token (or OAuth access token) may ask; handy to check a token before using it.',
      tag: 'API tokens',
      responses: {
        200: json(
          'The token',
          dataOf({
            type: 'object',
            required: ['name', 'scopes', 'expiresAt'],
            properties: {
              name: { type: 'string' },
              scopes: { type: 'array', items: { type: 'string' } },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          }),
          { data: { name: 'BI sync', scopes: ['subscriptions:execute'], expiresAt: '2026-12-31T12:00:00.000Z' } }
        ),
      },
    },
  },
};
