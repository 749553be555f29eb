import { ERROR_CODES } from '../shared/error-codes';
import { codedError, dataOf, error, json, ref, validationError } from '../openapi/responses';
import type { ApiDescription, ParameterDoc, ResponseDoc } from '../openapi/types';
import { RUN_STATUSES, RUN_TRIGGERS } from './types';

const dateTime = { type: 'string', format: 'date-time' };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };

const RUN_ID = { runId: 'The run id (`data.id` of the 202 that started it, or the end of its `Location`)' };

/** The `Idempotency-Key` header of the trigger routes. */
export const idempotencyKey: ParameterDoc = {
  name: 'Idempotency-Key',
  in: 'header',
  description: 'The same key from the same token within 24 hours returns the first run instead of starting another',
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  example: 'nightly-2026-12-01',
};

/** The 202 of the trigger routes. */
export const runAccepted: ResponseDoc = {
  ...json('The run, queued (or the earlier run of the same Idempotency-Key)', dataOf(ref('Run'))),
  headers: {
    Location: { description: 'The run to poll: `/api/api-tokens/runs/{runId}`', schema: { type: 'string' } },
  },
};

export const badIdempotencyKey = validationError('A malformed Idempotency-Key');

export const runActive = codedError(
  409,
  'A run of the target is already queued or running (`details.runId`)',
  [ERROR_CODES.RUN_ACTIVE],
  { runId: { type: 'string' } }
);

export const jobApi: ApiDescription = {
  schemas: {
    Run: {
      type: 'object',
      required: ['id', 'kind', 'targetId', 'status', 'trigger', 'createdAt', 'attempt', 'stats'],
      properties: {
        id: { type: 'string' },
        kind: { type: 'string', description: 'refresh, subscription, or a kind another plugin registered' },
        targetId: { type: 'string', description: "The target's documentId" },
        status: { enum: [...RUN_STATUSES] },
        trigger: { enum: [...RUN_TRIGGERS] },
        scheduledFor: nullableDateTime,
        createdAt: dateTime,
        startedAt: nullableDateTime,
        finishedAt: nullableDateTime,
        attempt: { type: 'integer', minimum: 1 },
        error: { type: ['string', 'null'] },
        stats: {
          type: 'object',
          properties: {
            rows: { type: 'integer' },
            recipients: { type: 'integer' },
            bytes: { type: 'integer' },
            sent: { type: 'integer' },
            failed: { type: 'integer' },
            skipped: { type: 'string' },
          },
        },
        notBefore: nullableDateTime,
        cancelRequestedAt: nullableDateTime,
      },
    },
  },
  operations: {
    'GET run.show': {
      operationId: 'getRun',
      summary: 'Poll a run',
      description: "Needs the scope of the run's kind: `semantic-models:refresh` or `subscriptions:execute`.",
      tag: 'Runs',
      pathParameters: RUN_ID,
      responses: {
        200: json('The run', dataOf(ref('Run'))),
        404: error(404, 'No such run'),
      },
    },
    'DELETE run.cancel': {
      operationId: 'cancelRun',
      summary: 'Cancel a queued or running run',
      description:
        "Needs the scope of the run's kind. A running run stops at its next page boundary (`cancelRequestedAt`).",
      tag: 'Runs',
      pathParameters: RUN_ID,
      responses: {
        200: json('The run, cancelled or asked to stop', dataOf(ref('Run'))),
        404: error(404, 'No such run'),
        409: codedError(409, 'The run has already finished (`details.runId`)', [ERROR_CODES.RUN_FINISHED], {
          runId: { type: 'string' },
        }),
      },
    },
  },
};
