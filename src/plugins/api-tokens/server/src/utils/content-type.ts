interface HiddenContentType {
  collectionName: string;
  info: { singularName: string; pluralName: string; displayName: string; description: string };
  attributes: Record<string, unknown>;
}

/** A content type the plugin owns: no drafts, and hidden from the content manager and the content-type builder. */
export const hiddenContentType = ({ collectionName, info, attributes }: HiddenContentType) => ({
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
  },
});
