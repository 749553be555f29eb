import type { Core } from '@strapi/strapi';
import type { UID } from '@strapi/types';
import { fieldError, isUniqueViolation } from './errors';

/**
 * Case-insensitive unique names for a content type whose `name` column has a unique index: a friendly pre-check,
 * and the same 400 when a concurrent write wins the race at the index.
 */
export const uniqueNames = (strapi: Core.Strapi, uid: UID.Schema, label: string) => {
  const taken = (name: string) => fieldError('name', `${label} named "${name}" already exists`);

  return {
    async assertAvailable(name: string, exceptId?: number) {
      const clash = await strapi.db.query(uid).findOne({ where: { name: { $eqi: name } }, select: ['id'] });
      if (clash && clash.id !== exceptId) throw taken(name);
    },

    async write<T>(name: string, run: () => Promise<T>): Promise<T> {
      try {
        return await run();
      } catch (error) {
        if (isUniqueViolation(error)) throw taken(name);
        throw error;
      }
    },
  };
};
