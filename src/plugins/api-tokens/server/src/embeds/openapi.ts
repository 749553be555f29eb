import { MAX_PAGE_SIZE } from '../reports/validation';
import { OPERATORS } from '../query/types';
import { ERROR_CODES } from '../shared/error-codes';
import { codedError, dataOf, error, json, ref, validationError } from '../openapi/responses';
import type { ApiDescription, OperationDoc, ResponseDoc } from '../openapi/types';
import { MAX_AUTHORIZATIONS, UNSUPPORTED_KEYS } from './auth-request';
import { EMBED_PERMISSIONS, type EmbedType } from './types';

const EMBED_ID = { embedId: 'The embed id of the report (card) or dashboard (story), from its Embed panel' };
const NAMES: Record<EmbedType, { path: string; target: string; Type: string }> = {
  card: { path: 'cards', target: 'report', Type: 'Card' },
  story: { path: 'stories', target: 'dashboard', Type: 'Story' },
};

const issue = (type: EmbedType): OperationDoc => ({
  operationId: `issue${NAMES[type].Type}EmbedToken`,
  summary: `Issue an embed token for ${type === 'card' ? 'cards (reports)' : 'stories (dashboards)'}`,
  description:
    `Domo's \`POST /v1/${NAMES[type].path}/embed/auth\`: a signed JWT that lets a browser show the ${NAMES[type].target}s ` +
    'named in `authorizations`, with their filters ANDed into every query. Fails closed: any problem is a 400 and ' +
    'nothing is issued. The bearer may be an API token or an OAuth access token of `/oauth/token`.',
  tag: 'Embed tokens',
  requestBody: {
    required: true,
    content: {
      'application/json': {
        schema: ref('EmbedAuthRequest'),
        example: {
          sessionLength: 60,
          authorizations: [
            {
              token: 'OelSfued',
              permissions: ['READ', 'FILTER', 'EXPORT'],
              filters: [{ column: 'region', operator: 'IN', values: ['North', 'East'] }],
            },
          ],
        },
      },
    },
  },
  responses: {
    201: json(
      "The embed token (Domo's shape, not wrapped in `data`)",
      {
        type: 'object',
        required: ['authentication', 'expiration'],
        properties: {
          authentication: { type: 'string', description: 'The embed JWT' },
          expiration: { type: 'integer', description: 'Epoch milliseconds' },
        },
      },
      { authentication: 'eyJhbGciOiJIUzI1NiIsInR5…', expiration: 1796184714000 }
    ),
    400: validationError(
      'Every problem of the request, each named by its path (`authorizations[0].filters[1].column`)'
    ),
  },
});

const tokenRefused = codedError(
  401,
  'No, malformed, tampered, expired or revoked embed token',
  [ERROR_CODES.TOKEN_EXPIRED, ERROR_CODES.TOKEN_INVALID],
  {},
  'UnauthorizedError'
);
const viewerErrors: Record<number, ResponseDoc> = {
  401: {
    ...tokenRefused,
    headers: { 'WWW-Authenticate': { description: '`Bearer realm="embed"`', schema: { type: 'string' } } },
  },
  403: error(403, 'The embed token does not authorize this embed', 'ForbiddenError'),
  404: error(404, 'No such embed, or embedding is no longer enabled'),
  409: codedError(409, "The token's filters no longer apply to the card (its model lost a column): mint a new token", [
    ERROR_CODES.EMBED_FILTERS_STALE,
  ]),
};

const viewerQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    filters: {
      type: ['array', 'null'],
      description: "The viewer's own filters: they narrow the token's rows, never widen them (needs FILTER)",
      items: ref('EmbedFilter'),
    },
    inputs: { oneOf: [ref('InputValues'), { type: 'null' }] },
    page: { type: 'integer', minimum: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
  },
};

const columns = {
  type: 'array',
  items: {
    type: 'object',
    required: ['name', 'type'],
    properties: { name: { type: 'string' }, type: { type: 'string' } },
  },
};
const rows = { type: 'array', items: { type: 'object' } };

const data = (type: EmbedType): OperationDoc => ({
  operationId: `get${NAMES[type].Type}EmbedData`,
  summary: `The rows of an embedded ${type}`,
  description:
    `What the viewer page's script asks for: a page of the ${NAMES[type].target}'s rows, only those the embed token allows.` +
    (type === 'story' ? " One entry per card, in the dashboard's order." : ''),
  tag: 'Embedded data',
  security: 'embedToken',
  pathParameters: EMBED_ID,
  requestBody: {
    required: false,
    content: { 'application/json': { schema: viewerQuery, example: { inputs: { channel: 'online' }, pageSize: 50 } } },
  },
  responses: {
    200: json(
      'A page of rows',
      type === 'card'
        ? {
            type: 'object',
            required: ['data', 'meta'],
            properties: {
              data: { type: 'object', required: ['columns', 'rows'], properties: { columns, rows } },
              meta: { type: 'object', required: ['pagination'], properties: { pagination: ref('Pagination') } },
            },
          }
        : {
            type: 'object',
            required: ['data', 'meta'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'chart', 'width', 'columns', 'rows', 'pagination'],
                  properties: {
                    name: { type: 'string' },
                    chart: { type: 'object' },
                    width: { type: 'integer', minimum: 1, maximum: 12 },
                    columns,
                    rows,
                    pagination: ref('Pagination'),
                  },
                },
              },
              meta: { type: 'object' },
            },
          }
    ),
    400: validationError('An unknown field, a malformed filter or input, or a page out of range'),
    ...viewerErrors,
  },
});

const page = (type: EmbedType): OperationDoc => ({
  operationId: `${type}ViewerPage`,
  summary: `The viewer page of an embedded ${type}`,
  description:
    'The HTML page to show in an iframe: the host page form-POSTs the embed token to it (never in the URL). ' +
    "Its Content-Security-Policy `frame-ancestors` lists the embed's allowed origins. A refusal is an HTML page with " +
    'the status.',
  tag: 'Embedded data',
  security: 'embedTokenOrForm',
  pathParameters: EMBED_ID,
  requestBody: {
    required: true,
    content: {
      'application/x-www-form-urlencoded': {
        schema: { type: 'object', required: ['embedToken'], properties: { embedToken: { type: 'string' } } },
      },
    },
  },
  responses: {
    200: { description: 'The viewer page', content: { 'text/html': { schema: { type: 'string' } } } },
    401: {
      description: 'No, expired or invalid embed token',
      content: { 'text/html': { schema: { type: 'string' } } },
    },
    403: {
      description: 'The token does not authorize this embed',
      content: { 'text/html': { schema: { type: 'string' } } },
    },
    404: { description: 'No such embed, or not enabled', content: { 'text/html': { schema: { type: 'string' } } } },
  },
});

const script = (name: string, what: string): OperationDoc => ({
  operationId: name === 'viewer.js' ? 'viewerScript' : 'sdkScript',
  summary: what,
  tag: 'Embedded data',
  security: 'none',
  parameters: [
    {
      name: 'v',
      in: 'query',
      description: "The script's content hash: with it, the answer is cached for a year",
      schema: { type: 'string' },
    },
  ],
  responses: {
    200: {
      description: 'The script',
      headers: { ETag: { description: 'The content hash', schema: { type: 'string' } } },
      content: { 'application/javascript': { schema: { type: 'string' } } },
    },
    304: { description: 'Not modified (`If-None-Match` matched the ETag)' },
  },
});

export const embedApi: ApiDescription = {
  schemas: {
    EmbedFilter: {
      type: 'object',
      required: ['column', 'values'],
      description: "Domo's filter: `operator` (or Domo's `operand`) over a column of the card's model",
      properties: {
        column: { type: 'string' },
        operator: { enum: [...OPERATORS, 'GREATER_THAN_EQUALS_TO'] },
        operand: { enum: [...OPERATORS, 'GREATER_THAN_EQUALS_TO'] },
        values: { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean'] } },
      },
    },
    EmbedAuthRequest: {
      type: 'object',
      required: ['authorizations'],
      additionalProperties: false,
      properties: {
        sessionLength: {
          type: 'integer',
          minimum: 1,
          description: "Minutes; capped at the server's `embed.maxSessionMinutes` (480 by default)",
        },
        authorizations: {
          type: 'array',
          minItems: 1,
          maxItems: MAX_AUTHORIZATIONS,
          items: {
            type: 'object',
            required: ['token', 'permissions'],
            additionalProperties: false,
            properties: {
              token: { type: 'string', description: 'The embed id' },
              permissions: {
                type: 'array',
                minItems: 1,
                items: { enum: [...EMBED_PERMISSIONS] },
                description: 'Must include READ',
              },
              filters: { type: ['array', 'null'], items: ref('EmbedFilter') },
              ...Object.fromEntries(
                UNSUPPORTED_KEYS.map((key) => [
                  key,
                  { type: ['array', 'null'], maxItems: 0, description: 'Not supported: empty or absent' },
                ])
              ),
            },
          },
        },
      },
    },
    Pagination: {
      type: 'object',
      required: ['page', 'pageSize', 'pageCount', 'total'],
      properties: {
        page: { type: 'integer' },
        pageSize: { type: 'integer' },
        pageCount: { type: 'integer' },
        total: { type: 'integer' },
      },
    },
  },
  operations: {
    'POST embed.issueCard': issue('card'),
    'POST embed.issueStory': issue('story'),
    'POST embed.revoke': {
      operationId: 'revokeEmbedToken',
      summary: 'Revoke one embed token',
      description:
        'By its `jti` claim; every data or export request with it then gets 401 `TOKEN_INVALID`. Again: no error.',
      tag: 'Embed tokens',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['jti'],
              additionalProperties: false,
              properties: { jti: { type: 'string', format: 'uuid' } },
            },
            example: { jti: '0f6e3c83-4cf9-4e44-a039-a3994dbdd527' },
          },
        },
      },
      responses: {
        200: json(
          'Revoked',
          dataOf({
            type: 'object',
            required: ['jti', 'revoked'],
            properties: { jti: { type: 'string' }, revoked: { const: true } },
          })
        ),
        400: validationError('No `jti`, not a UUID, or an unknown field'),
      },
    },
    'POST embed-viewer.cardData': data('card'),
    'POST embed-viewer.storyData': data('story'),
    'POST embed-viewer.cardExport': {
      operationId: 'exportCardEmbed',
      summary: "An embedded card's rows as CSV",
      description:
        'Needs EXPORT. The embed token as bearer with a JSON body (filters, inputs), or as the `embedToken` field of a ' +
        'form POST (with `filters` and `inputs` as JSON text) so a browser downloads the file.',
      tag: 'Embedded data',
      security: 'embedTokenOrForm',
      pathParameters: EMBED_ID,
      requestBody: {
        required: false,
        content: {
          'application/json': { schema: viewerQuery },
          'application/x-www-form-urlencoded': {
            schema: {
              type: 'object',
              additionalProperties: false,
              properties: {
                embedToken: { type: 'string' },
                filters: { type: 'string', description: 'JSON of the filters array' },
                inputs: { type: 'string', description: 'JSON of the inputs object' },
              },
            },
          },
        },
      },
      responses: {
        200: {
          description: 'The CSV',
          headers: {
            'Content-Disposition': { description: '`attachment; filename="<card>.csv"`', schema: { type: 'string' } },
          },
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        400: validationError('An unknown field, or a malformed filter or input'),
        ...viewerErrors,
      },
    },
    'POST embed-viewer.cardPage': page('card'),
    'POST embed-viewer.storyPage': page('story'),
    'GET embed-viewer.viewerScript': script('viewer.js', "The viewer page's script"),
    'GET embed-viewer.sdkScript': script('sdk.js', 'The embed SDK for host pages (`ReportingHubEmbed`)'),
  },
};
