import type { Core } from '@strapi/strapi';
import { getConfig } from '../config';
import { columnOf } from '../utils/content-type';
import type { Column, ColumnType, Row, SourceDenial, SourceProblem, SourceReader, SourceType } from './sources';

export interface ContentTypeSourceDefinition {
  type: 'content-type';
  uid: string;
  fields: string[];
  /** A localized type's locale to read; absent, the i18n default locale (at each refresh). */
  locale?: string;
}

const SOURCE_KEYS = ['type', 'uid', 'fields', 'locale'];

/** What `sources.contentTypes` means when unset: the app's own types. */
export const DEFAULT_SOURCE_CONTENT_TYPES = ['api::*'];

const ATTRIBUTE_COLUMN_TYPES: Record<string, ColumnType> = {
  string: 'string',
  text: 'string',
  uid: 'string',
  email: 'string',
  enumeration: 'string',
  time: 'string',
  integer: 'integer',
  biginteger: 'biginteger',
  float: 'float',
  decimal: 'float',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'datetime',
};

const READ = 'plugin::content-manager.explorer.read';

/** True when `uid` matches an entry of the allowlist: a uid, or a prefix ending in `*` (`api::*`). */
const isAllowlisted = (uid: string) =>
  (getConfig().sources.contentTypes ?? DEFAULT_SOURCE_CONTENT_TYPES).some((entry) =>
    entry.endsWith('*') ? uid.startsWith(entry.slice(0, -1)) : uid === entry
  );

/**
 * Collection types a model may read: those of the `sources.contentTypes` allowlist that the content manager shows,
 * never the admin's or this plugin's own.
 */
const allowedContentTypes = (strapi: Core.Strapi) =>
  Object.values(strapi.contentTypes).filter(
    (contentType: any) =>
      contentType.kind === 'collectionType' &&
      !contentType.uid.startsWith('admin::') &&
      !contentType.uid.startsWith('plugin::api-tokens.') &&
      contentType.pluginOptions?.['content-manager']?.visible !== false &&
      isAllowlisted(contentType.uid)
  ) as any[];

/** The fields a model may pick: scalars that are not private. */
const pickableFields = (contentType: any): Column[] =>
  Object.entries(contentType.attributes as Record<string, any>)
    .filter(([, attribute]) => ATTRIBUTE_COLUMN_TYPES[attribute.type] && !attribute.private)
    .map(([name, attribute]) => ({ name, type: ATTRIBUTE_COLUMN_TYPES[attribute.type] }));

/** The i18n plugin's view of a type: whether it is localized, the configured locale codes and the default one. */
const localization = async (strapi: Core.Strapi, contentType: any) => {
  const i18n = strapi.plugin('i18n');
  if (!i18n?.service('content-types').isLocalizedContentType(contentType)) return null;
  const locales = i18n.service('locales');
  const codes: string[] = (await locales.find()).map((locale: { code: string }) => locale.code);
  return { codes, defaultLocale: (await locales.getDefaultLocale()) as string };
};

/**
 * Whether an admin may read a whole table: Strapi's content-manager permission checker, asked about a row that
 * carries only the locale. A rule with conditions ("is creator", custom ones) cannot match such a row, so a
 * conditional read permission never grants a model, which copies every row.
 */
const readAccess = (strapi: Core.Strapi, uid: string, reader: SourceReader) => {
  const checker = strapi
    .plugin('content-manager')
    .service('permission-checker')
    .create({ userAbility: reader.ability, model: uid });
  return {
    type: () => checker.can.read() as boolean,
    field: (field: string) => checker.can.read(null, field) as boolean,
    everyRow: (field: string, locale: string | null) =>
      checker.can.read(locale === null ? {} : { locale }, field) as boolean,
  };
};

/** The names of the conditions on the admin's read permissions of `uid`, for the message of a refusal. */
const readConditions = async (strapi: Core.Strapi, uid: string, reader: SourceReader): Promise<string[]> => {
  // An admin API token's ability has no user to look the permissions up for.
  if (!reader.user) return [];
  const permissionService = strapi.service('admin::permission') as any;
  const permissions: { action: string; subject: string; conditions?: string[] }[] =
    await permissionService.findUserPermissions(reader.user);
  const ids = new Set(
    permissions
      .filter((permission) => permission.action === READ && permission.subject === uid)
      .flatMap((permission) => permission.conditions ?? [])
  );
  return [...ids].map((id) => permissionService.conditionProvider.get(id)?.displayName ?? id);
};

/** The built-in source: a collection type of the app, one locale of it when localized, read in pages by id. */
export const createContentTypeSource = (strapi: Core.Strapi): SourceType<ContentTypeSourceDefinition> => {
  for (const entry of getConfig().sources.contentTypes ?? []) {
    if (!entry.endsWith('*') && (strapi.contentTypes as Record<string, any>)[entry]?.kind !== 'collectionType') {
      throw new Error(`api-tokens: sources.contentTypes lists ${entry}, which is not a collection type of this app`);
    }
  }
  const findContentType = (uid: string) => allowedContentTypes(strapi).find((contentType) => contentType.uid === uid);

  /** The locale a definition reads: null for a type that is not localized. */
  const localeOf = async (definition: ContentTypeSourceDefinition) => {
    const localized = await localization(
      strapi,
      strapi.contentTypes[definition.uid as keyof typeof strapi.contentTypes]
    );
    return localized ? (definition.locale ?? localized.defaultLocale) : null;
  };

  /** The snapshot's columns; an enumeration's values come along, for the filters. */
  const columnsOf = (definition: ContentTypeSourceDefinition): Column[] => {
    const contentType = findContentType(definition.uid);
    const byName = new Map(pickableFields(contentType).map((field) => [field.name, field]));
    return definition.fields.map((field) => {
      const values = contentType.attributes[field].enum;
      return Array.isArray(values) ? { ...byName.get(field)!, enum: values.map(String) } : byName.get(field)!;
    });
  };

  return {
    type: 'content-type',
    displayName: 'Content type',

    async validate(definition): Promise<SourceProblem | null> {
      const unknownKeys = Object.keys(definition).filter((key) => !SOURCE_KEYS.includes(key));
      if (unknownKeys.length > 0) {
        return { path: `source.${unknownKeys[0]}`, message: `Unknown field(s) in source: ${unknownKeys.join(', ')}` };
      }
      const contentType = typeof definition.uid === 'string' ? findContentType(definition.uid) : undefined;
      if (!contentType) {
        const known = allowedContentTypes(strapi).map((candidate) => candidate.uid);
        return {
          path: 'source.uid',
          message: `source.uid must be one of: ${known.join(', ')} (the plugin's sources.contentTypes option lists the types models may read)`,
        };
      }
      if (!Array.isArray(definition.fields) || definition.fields.length === 0) {
        return { path: 'source.fields', message: 'source.fields must list at least one field' };
      }
      const pickable = pickableFields(contentType).map((field) => field.name);
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
      if (definition.locale !== undefined) {
        const localized = await localization(strapi, contentType);
        if (!localized) {
          return {
            path: 'source.locale',
            message: `source.locale applies only to localized types; ${definition.uid} is not`,
          };
        }
        if (typeof definition.locale !== 'string' || !localized.codes.includes(definition.locale)) {
          return { path: 'source.locale', message: `source.locale must be one of: ${localized.codes.join(', ')}` };
        }
      }
      return null;
    },

    async authorize(definition, reader): Promise<SourceDenial | null> {
      const { uid, fields } = definition;
      if (!findContentType(uid)) {
        return {
          code: 'SOURCE_NOT_ALLOWED',
          message: `Semantic models may not read ${uid}: it is not in the plugin's sources.contentTypes option`,
          details: { uid },
        };
      }
      const access = readAccess(strapi, uid, reader);
      if (!access.type()) {
        return {
          code: 'SOURCE_FORBIDDEN',
          message: `You may not read ${uid} in the content manager`,
          details: { uid },
        };
      }
      const hidden = fields.find((field) => !access.field(field));
      if (hidden) {
        return {
          code: 'SOURCE_FIELD_FORBIDDEN',
          message: `You may not read the field ${hidden} of ${uid} in the content manager`,
          details: { uid, field: hidden },
        };
      }
      const locale = await localeOf(definition);
      const partial = fields.find((field) => !access.everyRow(field, locale));
      if (!partial) return null;
      const conditions = await readConditions(strapi, uid, reader);
      if (conditions.length === 0 && locale !== null) {
        return {
          code: 'SOURCE_LOCALE_FORBIDDEN',
          message: `You may not read the ${locale} locale of ${uid} in the content manager`,
          details: { uid, locale },
        };
      }
      const named = conditions.length > 0 ? ` (${conditions.join(', ')})` : '';
      return {
        code: 'SOURCE_CONDITIONAL',
        message: `Your read permission on ${uid} has conditions${named}; a model copies every row, so it needs a read permission without conditions`,
        details: { uid, field: partial, conditions },
      };
    },

    columns: columnsOf,

    async *read(definition, { pageSize }) {
      const meta = strapi.db.metadata.get(definition.uid as any);
      const column = columnOf(strapi, definition.uid);
      const knex = strapi.db.connection;
      const types = new Map(columnsOf(definition).map((c) => [c.name, c.type]));
      // biginteger as text: SQLite's driver would round values past 2^53 to the nearest double.
      const select = definition.fields.map((field) =>
        types.get(field) === 'biginteger'
          ? knex.raw('CAST(?? AS TEXT) as ??', [column(field), field])
          : `${column(field)} as ${field}`
      );
      const published = meta.attributes.publishedAt ? column('publishedAt') : null;
      const locale = await localeOf(definition);
      let lastId = 0;
      for (;;) {
        const query = knex(meta.tableName)
          .select(['id', ...select])
          .where('id', '>', lastId)
          .orderBy('id')
          .limit(pageSize);
        // With draft & publish, a model reads what the public sees; with i18n, one locale, else rows count twice.
        if (published) query.whereNotNull(published);
        if (locale) query.where(column('locale'), locale);
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

/**
 * The model editor's picker: the allowed types this admin may read in full, with the fields it may read and, for
 * a localized type, the locales it may read (the default one first).
 */
export const readableContentTypes = async (strapi: Core.Strapi, reader: SourceReader) => {
  const entries = [];
  for (const contentType of allowedContentTypes(strapi)) {
    const access = readAccess(strapi, contentType.uid, reader);
    if (!access.type()) continue;
    const localized = await localization(strapi, contentType);
    const locales = localized
      ? [localized.defaultLocale, ...localized.codes.filter((code) => code !== localized.defaultLocale)]
      : [null];
    const readable = locales.filter((locale) =>
      pickableFields(contentType).some((field) => access.everyRow(field.name, locale))
    );
    if (readable.length === 0) continue;
    entries.push({
      uid: contentType.uid as string,
      displayName: (contentType.info?.displayName ?? contentType.uid) as string,
      fields: pickableFields(contentType).filter((field) => access.everyRow(field.name, readable[0])),
      locales: localized ? (readable as string[]) : [],
    });
  }
  return entries;
};
