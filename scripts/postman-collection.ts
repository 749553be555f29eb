import { promisify } from 'node:util';
import Converter from 'openapi-to-postmanv2';

type Json = Record<string, any>;

/** The collection's variables: the host, the credentials, and the ids the requests name. */
export const POSTMAN_VARIABLES: Record<string, string> = {
  baseUrl: 'http://localhost:1337',
  apiToken: 'rht_paste-the-api-token-here',
  clientId: "the API token's documentId (OAuth client_id)",
  modelId: 'the semantic model documentId',
  subscriptionId: 'the subscription documentId',
  runId: 'set by the trigger requests',
  cardEmbedId: 'the embed id of a report',
  storyEmbedId: 'the embed id of a dashboard',
  embedToken: 'set by the embed auth requests',
  jti: 'set by the embed auth requests',
};

/** Which variable fills a path parameter, by parameter name and path. */
const pathVariable = (name: string, path: string) => {
  if (name === 'runId') return 'runId';
  if (name === 'embedId') return /\/(stories|pages)\//.test(path) ? 'storyEmbedId' : 'cardEmbedId';
  if (name === 'id' && path.includes('/semantic-models/')) return 'modelId';
  if (name === 'id' && path.includes('/subscriptions/')) return 'subscriptionId';
  return name;
};

/** JSON bodies that name the collection's variables, in place of the document's examples. */
const BODIES: Record<string, unknown> = {
  issueCardEmbedToken: {
    sessionLength: 60,
    authorizations: [{ token: '{{cardEmbedId}}', permissions: ['READ', 'FILTER', 'EXPORT'], filters: [] }],
  },
  issueStoryEmbedToken: {
    sessionLength: 60,
    authorizations: [
      {
        token: '{{storyEmbedId}}',
        permissions: ['READ', 'FILTER', 'EXPORT'],
        filters: [{ column: 'region', operator: 'IN', values: ['North', 'East'] }],
      },
    ],
  },
  revokeEmbedToken: { jti: '{{jti}}' },
};

const GRANT = { key: 'grant_type', value: 'client_credentials' };
const FIELDS: Record<string, string> = {
  embedToken: '{{embedToken}}',
  grant_type: GRANT.value,
  client_id: '{{clientId}}',
  client_secret: '{{apiToken}}',
};

/** Test scripts that keep what a response hands out for the next requests. */
const captures = (operationId: string): string[] => {
  if (['refreshSemanticModel', 'triggerSubscription'].includes(operationId)) {
    return ["if (pm.response.code === 202) pm.collectionVariables.set('runId', pm.response.json().data.id);"];
  }
  if (/^issue(Card|Story)EmbedToken$/.test(operationId)) {
    return [
      'if (pm.response.code === 201) {',
      '  const token = pm.response.json().authentication;',
      "  pm.collectionVariables.set('embedToken', token);",
      "  const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));",
      "  pm.collectionVariables.set('jti', claims.jti);",
      '}',
    ];
  }
  return [];
};

const AUTH: Record<string, Json> = {
  apiToken: { type: 'bearer', bearer: [{ key: 'token', value: '{{apiToken}}', type: 'string' }] },
  embedToken: { type: 'bearer', bearer: [{ key: 'token', value: '{{embedToken}}', type: 'string' }] },
  oauthClient: {
    type: 'basic',
    basic: [
      { key: 'username', value: '{{clientId}}', type: 'string' },
      { key: 'password', value: '{{apiToken}}', type: 'string' },
    ],
  },
  none: { type: 'noauth' },
};

/** Drops the converter's random ids, so the same document always gives the same collection. */
const withoutIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'id' && key !== '_postman_id')
      .map(([key, item]) => [key, withoutIds(item)])
  );
};

/** The Postman collection (v2.1) of an OpenAPI document, with variables for the host, the token and the ids. */
export const postmanCollection = async (document: Json): Promise<Json> => {
  const convert = promisify(Converter.convert) as (input: Json, options: Json) => Promise<Json>;
  const result = await convert(
    { type: 'json', data: JSON.parse(JSON.stringify(document)) },
    { folderStrategy: 'Tags', parametersResolution: 'Example', includeAuthInfoInExample: false }
  );
  if (!result.result) throw new Error(`openapi-to-postmanv2: ${result.reason}`);
  const collection = result.output[0].data as Json;

  const operations = new Map<string, Json>();
  for (const [path, item] of Object.entries(document.paths as Json)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      operations.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, operation);
    }
  }
  const visit = (items: Json[]) => {
    for (const item of items) {
      if (item.item) {
        visit(item.item);
        continue;
      }
      const { request } = item;
      const path = `/${(request.url.path as string[]).join('/')}`;
      const operation = operations.get(`${request.method} ${path}`);
      if (!operation) throw new Error(`No operation for ${request.method} ${path}`);
      for (const variable of request.url.variable ?? []) variable.value = `{{${pathVariable(variable.key, path)}}}`;
      for (const header of request.header ?? []) {
        // Optional: a fresh key per send when enabled.
        if (header.key === 'Idempotency-Key') Object.assign(header, { value: '{{$guid}}', disabled: true });
      }
      // The converter fills a body from the schema at random; the document's example (or `{}`) is stable.
      const media = operation.requestBody?.content?.['application/json'];
      if (media && request.body?.mode === 'raw') {
        request.body.raw = JSON.stringify(BODIES[operation.operationId] ?? media.example ?? {}, null, 2);
      }
      // Form and query fields: the collection's variables, and optional fields with placeholders switched off.
      for (const field of [...(request.body?.urlencoded ?? []), ...(request.url.query ?? [])]) {
        if (FIELDS[field.key]) Object.assign(field, { value: FIELDS[field.key], disabled: false });
        else if (/^<.*>$/.test(String(field.value))) field.disabled = true;
      }
      // /oauth/token: the POST authenticates the client with Basic, the GET with its query string (as Domo's samples).
      if (operation.operationId === 'oauthToken') {
        for (const field of request.body.urlencoded) field.disabled = field.key !== 'grant_type';
        request.body.urlencoded.unshift({ ...GRANT, disabled: false });
      }
      if (operation.operationId === 'oauthTokenGet') request.url.query.unshift({ ...GRANT, disabled: false });
      const scheme = Object.keys(operation.security?.[0] ?? { none: [] })[0] ?? 'none';
      request.auth = operation.operationId === 'oauthTokenGet' ? AUTH.none : AUTH[scheme];
      const exec = captures(operation.operationId);
      if (exec.length) item.event = [{ listen: 'test', script: { type: 'text/javascript', exec } }];
      // Examples of every documented answer would bury the requests; the document has them.
      item.response = [];
    }
  };
  visit(collection.item);
  collection.auth = AUTH.apiToken;
  collection.variable = Object.entries(POSTMAN_VARIABLES).map(([key, value]) => ({ key, value, type: 'string' }));
  // As written to disk: keys holding undefined dropped.
  return JSON.parse(JSON.stringify(withoutIds(collection))) as Json;
};
