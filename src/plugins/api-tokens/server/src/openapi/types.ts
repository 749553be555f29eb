/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = Record<string, unknown>;

export interface MediaDoc {
  schema: JsonSchema;
  example?: unknown;
}

export interface ResponseDoc {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, MediaDoc>;
}

export interface ParameterDoc {
  name: string;
  in: 'query' | 'header' | 'path';
  description: string;
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
}

/**
 * What a route's description adds to what the route itself says (method, path, scopes): keyed by
 * `<METHOD> <handler>` in each capability's `openapi.ts`.
 */
export interface OperationDoc {
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The credential of a route without the has-scope policy; has-scope routes are `apiToken`. */
  security?: 'none' | 'embedToken' | 'embedTokenOrForm' | 'oauthClient';
  /** Descriptions of the route's `:params`, by name. */
  pathParameters?: Record<string, string>;
  parameters?: ParameterDoc[];
  requestBody?: { required: boolean; content: Record<string, MediaDoc> };
  /** Every status the route answers with, errors included (the has-scope policy's 401, 403 and 429 are added). */
  responses: Record<number, ResponseDoc>;
}

export type OperationDocs = Record<string, OperationDoc>;

/** One capability's part of the document: its operations and the named schemas they `$ref`. */
export interface ApiDescription {
  schemas?: Record<string, JsonSchema>;
  operations: OperationDocs;
}
