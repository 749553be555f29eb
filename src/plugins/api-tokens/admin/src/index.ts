import { Key } from '@strapi/icons';
import { PLUGIN_PERMISSIONS } from './permissions';
import { PLUGIN_ID } from './pluginId';
import { prefixPluginTranslations } from './utils/prefixPluginTranslations';

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Key,
      intlLabel: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Reporting hub' },
      Component: () => import('./pages/App'),
      permissions: PLUGIN_PERMISSIONS,
    });

    app.registerPlugin({ id: PLUGIN_ID, name: 'Reporting hub' });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await import(`./translations/${locale}.json`);
          return { data: prefixPluginTranslations(data, PLUGIN_ID), locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
