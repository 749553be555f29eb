// A route guarded by the api-tokens plugin with a scope this app registers itself (see src/index.ts).
export default {
  routes: [
    {
      method: 'GET',
      path: '/sales/summary',
      handler: 'api::sale.sale.summary',
      config: {
        auth: false,
        policies: [{ name: 'plugin::api-tokens.has-scope', config: { scopes: ['sales:read'] } }],
      },
    },
  ],
};
