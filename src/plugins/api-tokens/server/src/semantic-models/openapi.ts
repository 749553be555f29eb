import { badIdempotencyKey, idempotencyKey, runAccepted, runActive } from '../jobs/openapi';
import { error } from '../openapi/responses';
import type { ApiDescription } from '../openapi/types';

export const semanticModelApi: ApiDescription = {
  operations: {
    'POST semantic-model.requestRefresh': {
      operationId: 'refreshSemanticModel',
      summary: "Refresh a semantic model's snapshot",
      description: 'Queues a refresh run; poll it at `Location`. No body.',
      tag: 'Semantic models',
      pathParameters: { id: "The semantic model's documentId" },
      parameters: [idempotencyKey],
      responses: {
        202: runAccepted,
        400: badIdempotencyKey,
        404: error(404, 'No such semantic model'),
        409: runActive,
      },
    },
  },
};
