import { HAS_SCOPE_POLICY, type HasScopeConfig } from '../tokens/has-scope-policy';
import { sharedSchemas } from './components';
import { policyResponses } from './responses';
import type { ApiDescription, OperationDoc } from './types';

/** A route as Strapi registers it: the full path it is served at. */
export interface ServedRoute {
  method: string;
  path: string;
  handler: string;
  config?: { auth?: false; policies?: unknown[] };
}

export interface DocumentInput {
  routes: ServedRoute[];
  descriptions: ApiDescription[];
  /** The scope each run kind needs, for the routes whose scope is the run's kind's. */
  runKindScopes: Record<string, string>;
  version: string;
}

const SECURITY_SCHEMES = {
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'rht_… API token, or an OAuth access token of /oauth/token',
    description:
      "An API token created in the admin (Reporting hub → API tokens), holding the route's scopes. The security " +
      'requirement of each route lists them; `x-scopes` too.',
  },
  embedToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An embed token of `/v1/cards/embed/auth` or `/v1/stories/embed/auth` that names the embed',
  },
  oauthClient: {
    type: 'http',
    scheme: 'basic',
    description: "`client_id:client_secret`: the API token's documentId and the API token",
  },
};

const SECURITY: Record<NonNullable<OperationDoc['security']>, object[]> = {
  none: [],
  embedToken: [{ embedToken: [] }],
  embedTokenOrForm: [{ embedToken: [] }, {}],
  oauthClient: [{ oauthClient: [] }, {}],
};

const hasScopeConfig = (route: ServedRoute): HasScopeConfig | null => {
  const policy = (route.config?.policies ?? []).find(
    (entry): entry is { name: string; config: HasScopeConfig } =>
      typeof entry === 'object' && entry !== null && (entry as { name?: string }).name === HAS_SCOPE_POLICY
  );
  return policy ? policy.config : null;
};

/** `METHOD handler`, the key of a route's description; the handler without its `plugin::api-tokens.` prefix. */
export const operationKey = (route: ServedRoute) =>
  `${route.method.toUpperCase()} ${route.handler.replace(/^plugin::api-tokens\./, '')}`;

/** `/runs/:runId` → `/runs/{runId}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const pathParams = (path: string) => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);

/**
 * The OpenAPI 3.1 document of `routes`: method, path and scopes from each route itself, the rest from the
 * description keyed by `operationKey`. Routes without one are left out and listed in `undocumented`.
 */
export const buildDocument = ({ routes, descriptions, runKindScopes, version }: DocumentInput) => {
  const operations = Object.assign({}, ...descriptions.map((description) => description.operations));
  const schemas = Object.assign({}, sharedSchemas, ...descriptions.map((description) => description.schemas ?? {}));
  const paths: Record<string, Record<string, unknown>> = {};
  const tags: string[] = [];
  const operationIds = new Set<string>();
  const undocumented: string[] = [];

  for (const route of routes) {
    const doc: OperationDoc | undefined = operations[operationKey(route)];
    if (!doc) {
      undocumented.push(`${route.method.toUpperCase()} ${route.path} (${operationKey(route)})`);
      continue;
    }
    const policy = hasScopeConfig(route);
    const scopes = policy?.scopes ?? [];
    let { operationId } = doc;
    for (let n = 2; operationIds.has(operationId); n += 1) operationId = `${doc.operationId}${n}`;
    operationIds.add(operationId);
    if (!tags.includes(doc.tag)) tags.push(doc.tag);

    let scopeNote = '';
    if (policy?.runKind) {
      const list = Object.entries(runKindScopes).map(([kind, scope]) => `\`${scope}\` for a ${kind} run`);
      scopeNote = `Scope: that of the run's kind (${list.join(', ')}).`;
    } else if (policy) {
      scopeNote = scopes.length
        ? `Scope: ${scopes.map((scope) => `\`${scope}\``).join(', ')}.`
        : 'Any valid API token.';
    }
    const description = [scopeNote, doc.description].filter(Boolean).join(' ');
    const parameters = [
      ...pathParams(route.path).map((name) => ({
        name,
        in: 'path',
        required: true,
        description: doc.pathParameters?.[name] ?? name,
        schema: { type: 'string' },
      })),
      ...(doc.parameters ?? []),
    ];
    const responses = {
      ...doc.responses,
      ...(policy ? policyResponses(scopes.length > 0 || Boolean(policy.runKind)) : {}),
    };
    const sorted = Object.fromEntries(
      Object.entries(responses)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([status, response]) => [String(status), response])
    );

    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId,
      summary: doc.summary,
      ...(description ? { description } : {}),
      tags: [doc.tag],
      security: policy ? [{ apiToken: scopes }] : SECURITY[doc.security ?? 'none'],
      ...(policy?.runKind ? { 'x-scopes': Object.values(runKindScopes), 'x-scope-of-run-kind': true } : {}),
      ...(policy && !policy.runKind ? { 'x-scopes': scopes } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(doc.requestBody ? { requestBody: doc.requestBody } : {}),
      responses: sorted,
    };
  }

  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Reporting hub: the external API',
      version,
      description:
        'What an external app calls with an API token: refresh semantic models, run subscriptions, poll and cancel ' +
        "runs, issue embed tokens (Domo's `/v1/cards/embed/auth`, `/v1/stories/embed/auth` and `/oauth/token`), and " +
        "what an embedded card or story fetches with its embed token. Errors are Strapi's error body " +
        '`{data: null, error: {status, name, message, details}}`; `details.code` tells the cases a client must handle ' +
        'apart. Generated from the routes the server registers: GET /api/api-tokens/openapi.json.',
    },
    servers: [
      { url: '{baseUrl}', variables: { baseUrl: { default: 'http://localhost:1337', description: 'The Strapi app' } } },
    ],
    tags: tags.map((name) => ({ name })),
    paths,
    components: { securitySchemes: SECURITY_SCHEMES, schemas },
  };
  return { document, undocumented };
};
