import { hiddenContentType } from '../utils/content-type';
import { nameKeyAttribute } from '../utils/unique-name';
export const MODEL_STATUSES = ['empty', 'refreshing', 'ready', 'failed'] as const;

export default hiddenContentType({
  collectionName: 'api_tokens_semantic_models',
  info: {
    singularName: 'semantic-model',
    pluralName: 'semantic-models',
    displayName: 'Semantic model',
    description: 'A dataset over a content type (or another registered source), materialised into a snapshot',
  },
  attributes: {
    name: { type: 'string', required: true, maxLength: 100 },
    // The name's case-insensitive form; its unique index keeps names unique.
    nameKey: nameKeyAttribute(),
    // {type, ...source-specific}, e.g. {type: 'content-type', uid: 'api::sale.sale', fields: ['region']}
    source: { type: 'json', required: true },
    // {mode: 'manual'} | {mode: 'scheduled', cron, timezone}
    refresh: { type: 'json', required: true },
    status: { type: 'enumeration', enum: [...MODEL_STATUSES], default: 'empty', required: true },
    lastRefreshedAt: { type: 'datetime' },
    rowCount: { type: 'integer', default: 0 },
    lastError: { type: 'text' },
    // Set when the scheduler turned the schedule off after repeated failures.
    scheduleDisabledReason: { type: 'text' },
    // The snapshot's columns ({name, type}[]), fixed at its refresh.
    columns: { type: 'json' },
    // The snapshot readers use, and the one before it (kept until the next refresh so in-flight reads finish).
    snapshotTable: { type: 'string', private: true },
    previousSnapshotTable: { type: 'string', private: true },
  },
});
