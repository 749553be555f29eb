/** Domo's `https://api.domo.com/oauth/token`, at the app's root: the client authenticates itself, so no policy. */
export const oauthRoutes = ['GET', 'POST'].map((method) => ({
  method,
  path: '/oauth/token',
  handler: 'oauth.token',
  config: { auth: false as const, policies: [] },
}));
