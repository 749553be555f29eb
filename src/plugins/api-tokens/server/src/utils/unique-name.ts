import type { Core } from '@strapi/strapi';
import type { UID } from '@strapi/types';
import { fieldError, isUniqueViolation } from './errors';

/** The form in which two names are compared: Unicode NFKC, lower-cased ("Sales", "SALES" and "ｓａｌｅｓ" are one). */
export const nameKey = (name: string) => name.normalize('NFKC').toLowerCase();

/**
 * The attribute that holds the rule: a content type with case-insensitive unique names stores each name's key in a
 * column with a unique index, so the database refuses a second "sales" even when two creates race. Text, not
 * varchar(255): NFKC can lengthen a name several times over.
 */
export const nameKeyAttribute = () => ({ type: 'text', private: true, column: { unique: true } });

const isNameKeyViolation = (error: unknown) =>
  isUniqueViolation(error) && /name_key/.test((error as Error).message ?? '');

/** Creates and updates of a content type with a `nameKey` attribute: sets the key, and maps a clash to a 400. */
export const uniqueNames = (strapi: Core.Strapi, uid: UID.Schema, label: string) => {
  const query = () => strapi.db.query(uid);

  const write = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isNameKeyViolation(error)) throw fieldError('name', `${label} named "${name}" already exists`);
      throw error;
    }
  };

  return {
    create(data: { name: string; [key: string]: unknown }, params: Record<string, unknown> = {}) {
      return write(data.name, () => query().create({ ...params, data: { ...data, nameKey: nameKey(data.name) } }));
    },

    update(row: Record<string, any>, data: { name?: string; [key: string]: unknown }, params = {}) {
      // A copy either way: the query adds updatedAt to the object it is given, and callers read `data`'s keys after.
      const keyed = data.name === undefined ? { ...data } : { ...data, nameKey: nameKey(data.name) };
      return write(data.name ?? row.name, () => query().update({ ...params, where: { id: row.id }, data: keyed }));
    },
  };
};

/**
 * Fills `nameKey` on rows written before it existed (run at bootstrap, after the schema sync added the column).
 * Names that already clash apart from case keep a null key, which the unique index allows, and are logged to rename.
 */
export const backfillNameKeys = async (strapi: Core.Strapi, uid: UID.Schema) => {
  const query = strapi.db.query(uid);
  const rows = await query.findMany({ where: { nameKey: null }, select: ['id', 'name'] });
  for (const row of rows) {
    try {
      await query.update({ where: { id: row.id }, data: { nameKey: nameKey(row.name) } });
    } catch (error) {
      if (!isNameKeyViolation(error)) throw error;
      strapi.log.warn(
        `api-tokens: "${row.name}" (${uid}, id ${row.id}) differs from another name only in case; rename one of them`
      );
    }
  }
};
