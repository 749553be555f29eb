type Translations = Record<string, string>;

export const prefixPluginTranslations = (data: Translations, pluginId: string): Translations =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [`${pluginId}.${key}`, value]));
