import type { Core } from '@strapi/strapi';

interface HiddenContentType {
  collectionName: string;
  info: { singularName: string; pluralName: string; displayName: string; description: string };
  attributes: Record<string, unknown>;
  /** Secondary indexes; `columns` are database column names (snake_case). */
  indexes?: { name: string; columns: string[]; type?: 'unique' }[];
}

/** A content type the plugin owns: no drafts, and hidden from the content manager and the content-type builder. */
export const hiddenContentType = ({ collectionName, info, attributes, indexes }: HiddenContentType) => ({
  schema: {
    kind: 'collectionType',
    collectionName,
    info,
    options: { draftAndPublish: false },
    pluginOptions: {
      'content-manager': { visible: false },
      'content-type-builder': { visible: false },
    },
    attributes,
    ...(indexes ? { indexes } : {}),
  },
});

/** The database column of an attribute of `uid`: the `columnName` Strapi derived (snake_case), or the name itself. */
export const columnOf = (strapi: Core.Strapi, uid: string) => {
  const { attributes } = strapi.db.metadata.get(uid);
  return (attribute: string): string =>
    (attributes[attribute] as { columnName?: string } | undefined)?.columnName ?? attribute;
};
