import { embedApi } from '../embeds/openapi';
import { jobApi } from '../jobs/openapi';
import { oauthApi } from '../oauth/openapi';
import { semanticModelApi } from '../semantic-models/openapi';
import { subscriptionApi } from '../subscriptions/openapi';
import { tokenApi } from '../tokens/openapi';
import { json } from './responses';
import type { ApiDescription } from './types';

const documentApi: ApiDescription = {
  operations: {
    'GET openapi.document': {
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      description: 'Public. The same document is committed as docs/openapi.json.',
      tag: 'OpenAPI',
      security: 'none',
      responses: { 200: json('The OpenAPI 3.1 document', { type: 'object', required: ['openapi', 'paths'] }) },
    },
  },
};

/** Every capability's description of its routes for external apps. */
export const API_DESCRIPTIONS: ApiDescription[] = [
  tokenApi,
  semanticModelApi,
  subscriptionApi,
  jobApi,
  embedApi,
  oauthApi,
  documentApi,
];
