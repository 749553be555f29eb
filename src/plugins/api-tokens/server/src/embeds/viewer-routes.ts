/** The embedded content, served at the app's root: open to anyone holding an embed token for the embed. */
const open = { auth: false as const, policies: [] };

const route = (method: 'GET' | 'POST', path: string, handler: string) => ({
  method,
  path,
  handler: `embed-viewer.${handler}`,
  config: open,
});

export const embedViewerRoutes = [
  route('GET', '/embed/viewer.js', 'viewerScript'),
  route('GET', '/embed/sdk.js', 'sdkScript'),
  route('POST', '/embed/cards/:embedId', 'cardPage'),
  route('POST', '/embed/stories/:embedId', 'storyPage'),
  // Domo's viewer paths, so an app written against Domo changes only its host.
  route('POST', '/cards/:embedId', 'cardPage'),
  route('POST', '/embed/pages/:embedId', 'storyPage'),
  route('POST', '/embed/cards/:embedId/data', 'cardData'),
  route('POST', '/embed/stories/:embedId/data', 'storyData'),
  route('POST', '/embed/cards/:embedId/export', 'cardExport'),
];
