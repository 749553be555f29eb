import { scopedRoute } from '../utils/route-config';

const EMBED_SCOPE = 'embed-tokens:create';

/** Served at the root, at Domo's own paths, so an app written against Domo changes only its host. */
export const embedAuthRoutes = [
  { method: 'POST', path: '/v1/cards/embed/auth', handler: 'embed.issueCard', config: scopedRoute(EMBED_SCOPE) },
  { method: 'POST', path: '/v1/stories/embed/auth', handler: 'embed.issueStory', config: scopedRoute(EMBED_SCOPE) },
];

export const embedContentApiRoutes = [
  { method: 'POST', path: '/embed-tokens/revoke', handler: 'embed.revoke', config: scopedRoute(EMBED_SCOPE) },
];
