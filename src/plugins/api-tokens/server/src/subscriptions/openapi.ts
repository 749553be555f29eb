import { idempotencyKey, runAccepted } from '../jobs/openapi';
import { codedError, error, ref, validationError } from '../openapi/responses';
import { ERROR_CODES } from '../shared/error-codes';
import type { ApiDescription } from '../openapi/types';

export const subscriptionApi: ApiDescription = {
  operations: {
    'POST subscription.trigger': {
      operationId: 'triggerSubscription',
      summary: 'Run a subscription now',
      description:
        'Queues a run that renders the report or dashboard and delivers it to every recipient; poll it at `Location`. ' +
        "`inputs` apply to this run only, over the subscription's and each recipient's.",
      tag: 'Subscriptions',
      pathParameters: { id: "The subscription's documentId" },
      parameters: [idempotencyKey],
      requestBody: {
        required: false,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              additionalProperties: false,
              properties: { inputs: { oneOf: [ref('InputValues'), { type: 'null' }] } },
            },
            example: { inputs: { channel: 'online' } },
          },
        },
      },
      responses: {
        202: runAccepted,
        400: validationError(
          'An unknown field, an input the target lacks or a value outside its options, or a malformed Idempotency-Key'
        ),
        404: error(404, 'No such subscription'),
        409: codedError(
          409,
          'A run is already queued or running (`details.runId`), or the subscription is disabled',
          [ERROR_CODES.RUN_ACTIVE, ERROR_CODES.SUBSCRIPTION_DISABLED],
          { runId: { type: 'string' } }
        ),
      },
    },
  },
};
