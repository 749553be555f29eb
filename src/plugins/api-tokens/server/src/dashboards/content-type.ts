import { hiddenContentType } from '../utils/content-type';
import { nameKeyAttribute } from '../utils/unique-name';

export default hiddenContentType({
  collectionName: 'api_tokens_dashboards',
  info: {
    singularName: 'dashboard',
    pluralName: 'dashboards',
    displayName: 'Dashboard',
    description: 'An ordered grid of reports sharing their data inputs',
  },
  attributes: {
    name: { type: 'string', required: true, maxLength: 100 },
    // The name's case-insensitive form; its unique index keeps names unique.
    nameKey: nameKeyAttribute(),
    // DashboardItem[]: [{report: <report documentId>, width: 1..12}], in display order.
    items: { type: 'json', required: true },
    embedEnabled: { type: 'boolean', default: false },
    allowedOrigins: { type: 'json' },
    // Drawn the first time embedding is enabled, kept after.
    embedId: { type: 'string', column: { unique: true } },
    // Embed tokens issued before this instant are refused ("revoke all tokens issued before now").
    embedRevokedBefore: { type: 'datetime' },
  },
});
