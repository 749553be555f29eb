/**
 * A second Strapi process for tests/jobs/instances.postgres.test.ts: it boots the same app on the database its
 * parent's environment names, and runs scheduler ticks and the runs worker when the parent asks (over IPC).
 */
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';

const APP_DIR = path.resolve(__dirname, '../..');

type Request = { id: number; type: 'tick' | 'drain' | 'stop'; at: string };

const main = async () => {
  const strapi = await createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist') }).load();
  const plugin = strapi.plugin('api-tokens');
  const reply = (message: object) => process.send!(message);

  process.on('message', async ({ id, type, at }: Request) => {
    try {
      if (type === 'tick') {
        const { queued } = await plugin.service('scheduler').tick(new Date(at));
        reply({ id, queued: queued.map((run: { id: string }) => run.id) });
      } else if (type === 'drain') {
        await plugin.service('runs').drain(new Date(at));
        reply({ id });
      } else {
        await strapi.destroy();
        reply({ id });
        process.disconnect();
      }
    } catch (error) {
      reply({ id, error: (error as Error).stack ?? String(error) });
    }
  });
  reply({ type: 'ready', owner: plugin.service('runs').owner });
};

main().catch((error) => {
  process.stderr.write(`second instance failed to boot: ${(error as Error).stack}\n`);
  process.exit(1);
});
