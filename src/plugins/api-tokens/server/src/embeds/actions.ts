import { defineActions } from '../utils/actions';

/**
 * `plugin::api-tokens.embeds.<verb>`. Revoking an embed's tokens is an update of its report or dashboard, and the
 * embed activity is read from the audit log, so those reuse `reports.update`, `dashboards.update` and `audit.read`.
 */
export const EMBED_ACTIONS = defineActions('Embeds', [
  { uid: 'embeds.playground', displayName: 'Mint test embed tokens in the playground' },
]);
