export const openApiContentApiRoutes = [
  {
    method: 'GET',
    path: '/openapi.json',
    handler: 'openapi.document',
    config: { auth: false as const, policies: [] },
  },
];
