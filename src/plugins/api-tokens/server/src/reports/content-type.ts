import { hiddenContentType } from '../utils/content-type';
import { nameKeyAttribute } from '../utils/unique-name';

export default hiddenContentType({
  collectionName: 'api_tokens_reports',
  info: {
    singularName: 'report',
    pluralName: 'reports',
    displayName: 'Report',
    description: "A query over a semantic model's snapshot, drawn as a chart, with data inputs",
  },
  attributes: {
    name: { type: 'string', required: true, maxLength: 100 },
    // The name's case-insensitive form; its unique index keeps names unique.
    nameKey: nameKeyAttribute(),
    // The semantic model's documentId.
    semanticModel: { type: 'string', required: true },
    // QuerySpec: columns, filters, groupBy, aggregates, sort, limit, offset.
    query: { type: 'json', required: true },
    // ChartSpec: {type, x?, y?[]}
    chart: { type: 'json', required: true },
    // ReportInput[]
    inputs: { type: 'json' },
    // IANA zone of the date buckets; null for UTC.
    timezone: { type: 'string' },
    embedEnabled: { type: 'boolean', default: false },
    allowedOrigins: { type: 'json' },
    // Drawn the first time embedding is enabled, kept after.
    embedId: { type: 'string', column: { unique: true } },
    // Embed tokens issued before this instant are refused ("revoke all tokens issued before now").
    embedRevokedBefore: { type: 'datetime' },
  },
  // The reports of a model (a model's delete asks).
  indexes: [{ name: 'api_tokens_reports_semantic_model_idx', columns: ['semantic_model'] }],
});
