import type { Core } from '@strapi/strapi';
import { columnOf } from '../utils/content-type';
import type { Column, ColumnType, Row, SourceProblem, SourceType } from './sources';

export interface ContentTypeSourceDefinition {
  type: 'content-type';
  uid: string;
  fields: string[];
}

const ATTRIBUTE_COLUMN_TYPES: Record<string, ColumnType> = {
  string: 'string',
  text: 'string',
  uid: 'string',
  email: 'string',
  enumeration: 'string',
  time: 'string',
  integer: 'integer',
  biginteger: 'integer',
  float: 'float',
  decimal: 'float',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'datetime',
};

/** Collection types a model may read: the app's and other plugins' visible ones, never admin or this plugin's. */
export const readableContentTypes = (strapi: Core.Strapi) =>
  Object.values(strapi.contentTypes).filter(
    (contentType: any) =>
      contentType.kind === 'collectionType' &&
      !contentType.uid.startsWith('admin::') &&
      !contentType.uid.startsWith('plugin::api-tokens.') &&
      contentType.pluginOptions?.['content-manager']?.visible !== false
  ) as any[];

/** The fields a model may pick: scalars that are not private. */
export const pickableFields = (contentType: any): Column[] =>
  Object.entries(contentType.attributes as Record<string, any>)
    .filter(([, attribute]) => ATTRIBUTE_COLUMN_TYPES[attribute.type] && !attribute.private)
    .map(([name, attribute]) => ({ name, type: ATTRIBUTE_COLUMN_TYPES[attribute.type] }));

/** The built-in source: any collection type of the app, read in pages by primary key. */
export const createContentTypeSource = (strapi: Core.Strapi): SourceType<ContentTypeSourceDefinition> => {
  const findContentType = (uid: string) => readableContentTypes(strapi).find((contentType) => contentType.uid === uid);

  return {
    type: 'content-type',
    displayName: 'Content type',

    validate(definition): SourceProblem | null {
      const unknownKeys = Object.keys(definition).filter((key) => !['type', 'uid', 'fields'].includes(key));
      if (unknownKeys.length > 0) {
        return { path: `source.${unknownKeys[0]}`, message: `Unknown field(s) in source: ${unknownKeys.join(', ')}` };
      }
      if (typeof definition.uid !== 'string' || !findContentType(definition.uid)) {
        const known = readableContentTypes(strapi).map((contentType) => contentType.uid);
        return { path: 'source.uid', message: `source.uid must be one of: ${known.join(', ')}` };
      }
      if (!Array.isArray(definition.fields) || definition.fields.length === 0) {
        return { path: 'source.fields', message: 'source.fields must list at least one field' };
      }
      const pickable = pickableFields(findContentType(definition.uid)).map((field) => field.name);
      const unknown = definition.fields.filter((field) => typeof field !== 'string' || !pickable.includes(field));
      if (unknown.length > 0) {
        return {
          path: 'source.fields',
          message: `source.fields has unknown field(s) ${unknown.join(', ')}; ${definition.uid} offers ${pickable.join(', ')}`,
        };
      }
      if (new Set(definition.fields).size !== definition.fields.length) {
        return { path: 'source.fields', message: 'source.fields lists a field twice' };
      }
      return null;
    },

    columns(definition) {
      const byName = new Map(pickableFields(findContentType(definition.uid)).map((field) => [field.name, field]));
      return definition.fields.map((field) => byName.get(field)!);
    },

    async *read(definition, { pageSize }) {
      const meta = strapi.db.metadata.get(definition.uid);
      const column = columnOf(strapi, definition.uid);
      const select = definition.fields.map((field) => `${column(field)} as ${field}`);
      const published = meta.attributes.publishedAt ? column('publishedAt') : null;
      let lastId = 0;
      for (;;) {
        const query = strapi.db
          .connection(meta.tableName)
          .select(['id', ...select])
          .where('id', '>', lastId)
          .orderBy('id')
          .limit(pageSize);
        // With draft & publish, a model reads what the public sees.
        if (published) query.whereNotNull(published);
        const rows: Row[] = await query;
        if (rows.length === 0) return;
        lastId = rows[rows.length - 1].id as number;
        for (const row of rows) delete row.id;
        yield rows;
        if (rows.length < pageSize) return;
      }
    },
  };
};
