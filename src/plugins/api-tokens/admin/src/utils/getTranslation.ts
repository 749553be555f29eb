import { PLUGIN_ID } from '../pluginId';

/** The full message id of a plugin translation key. */
export const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;
