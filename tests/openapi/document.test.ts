import { buildDocument } from '../../src/plugins/api-tokens/server/src/openapi/document';
import { json } from '../../src/plugins/api-tokens/server/src/openapi/responses';
import type { OperationDoc } from '../../src/plugins/api-tokens/server/src/openapi/types';

const policy = (config: object) => ({
  auth: false as const,
  policies: [{ name: 'plugin::api-tokens.has-scope', config }],
});
const describeAs = (operationId: string): OperationDoc => ({
  operationId,
  summary: operationId,
  tag: 'Things',
  responses: { 200: json('OK', { type: 'object' }) },
});

const build = (routes: Parameters<typeof buildDocument>[0]['routes']) =>
  buildDocument({
    routes,
    descriptions: [
      {
        operations: {
          'POST thing.run': describeAs('runThing'),
          'GET thing.show': describeAs('showThing'),
          'GET run.show': describeAs('showRun'),
          'GET thing.open': { ...describeAs('openThing'), security: 'none' },
        },
      },
    ],
    runKindScopes: { refresh: 'semantic-models:refresh', subscription: 'subscriptions:execute' },
    version: '1.0.0',
  });

describe('buildDocument', () => {
  it("takes each route's path, method and scopes from the route, and adds the policy's answers", () => {
    const { document, undocumented } = build([
      {
        method: 'POST',
        path: '/api/x/things/:id/runs',
        handler: 'plugin::api-tokens.thing.run',
        config: policy({ scopes: ['things:run'] }),
      },
      { method: 'GET', path: '/api/x/self', handler: 'thing.show', config: policy({ scopes: [] }) },
      { method: 'GET', path: '/api/x/runs/:runId', handler: 'run.show', config: policy({ scopes: [], runKind: true }) },
      { method: 'GET', path: '/open', handler: 'thing.open', config: { auth: false, policies: [] } },
    ]);
    expect(undocumented).toEqual([]);
    const run = (document.paths as any)['/api/x/things/{id}/runs'].post;
    expect(run.security).toEqual([{ apiToken: ['things:run'] }]);
    expect(run['x-scopes']).toEqual(['things:run']);
    expect(Object.keys(run.responses)).toEqual(['200', '401', '403', '429']);
    expect(run.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(run.description).toMatch('Scope: `things:run`.');

    // Any valid token: no 403.
    expect(Object.keys((document.paths as any)['/api/x/self'].get.responses)).toEqual(['200', '401', '429']);
    const pollRun = (document.paths as any)['/api/x/runs/{runId}'].get;
    expect(pollRun['x-scopes']).toEqual(['semantic-models:refresh', 'subscriptions:execute']);
    expect(Object.keys(pollRun.responses)).toEqual(['200', '401', '403', '429']);

    const open = (document.paths as any)['/open'].get;
    expect(open.security).toEqual([]);
    expect(Object.keys(open.responses)).toEqual(['200']);
  });

  it('leaves a route without a description out, and names it', () => {
    const { document, undocumented } = build([
      { method: 'GET', path: '/api/x/self', handler: 'thing.show', config: policy({ scopes: [] }) },
      {
        method: 'DELETE',
        path: '/api/x/things/:id',
        handler: 'thing.delete',
        config: policy({ scopes: ['things:run'] }),
      },
    ]);
    expect(undocumented).toEqual(['DELETE /api/x/things/:id (DELETE thing.delete)']);
    expect(Object.keys(document.paths)).toEqual(['/api/x/self']);
  });

  it('gives a description used by two paths two operation ids', () => {
    const { document } = build([
      { method: 'POST', path: '/a', handler: 'thing.run', config: policy({ scopes: [] }) },
      { method: 'POST', path: '/b', handler: 'thing.run', config: policy({ scopes: [] }) },
    ]);
    expect([(document.paths as any)['/a'].post.operationId, (document.paths as any)['/b'].post.operationId]).toEqual([
      'runThing',
      'runThing2',
    ]);
  });
});
