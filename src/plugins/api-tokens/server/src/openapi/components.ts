import type { JsonSchema } from './types';

/** The schemas every capability's description may `$ref`. */
export const sharedSchemas: Record<string, JsonSchema> = {
  ValidationErrorBody: {
    type: 'object',
    description: "Strapi's 400: every problem in `details.errors`, each naming its field by `path`",
    required: ['data', 'error'],
    properties: {
      data: { type: 'null' },
      error: {
        type: 'object',
        required: ['status', 'name', 'message', 'details'],
        properties: {
          status: { const: 400 },
          name: { const: 'ValidationError' },
          message: { type: 'string' },
          details: {
            type: 'object',
            properties: {
              errors: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['path', 'message'],
                  properties: {
                    path: { type: 'array', items: { type: 'string' } },
                    message: { type: 'string' },
                    name: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  InputValues: {
    type: 'object',
    description: 'Data input values by input name: a string, or an array of strings for a multi-select',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  },
};
