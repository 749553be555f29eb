/**
 * One Strapi instance in its own OS process, for the multi-instance suites (tests/helpers/instances.ts starts it).
 * It boots the compiled app on the database its environment names, listens on PORT, and answers its parent over IPC:
 * `call` runs a plugin service method (Date arguments travel as `{$date: iso}`), `stop` destroys Strapi and exits.
 */
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';

const APP_DIR = path.resolve(__dirname, '../..');

type Request =
  | { id: number; type: 'call'; service: string; method: string; args: unknown[] }
  | { id: number; type: 'stop' };

const revive = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    if ('$date' in value) return new Date((value as { $date: string }).$date);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revive(item)]));
  }
  return value;
};

const main = async () => {
  const strapi = await createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist') }).load();
  await strapi.listen();
  const plugin = strapi.plugin('api-tokens');
  const reply = (message: object) => process.send!(message);

  process.on('message', async (request: Request) => {
    try {
      if (request.type === 'call') {
        const service = plugin.service(request.service) as Record<string, (...args: unknown[]) => unknown>;
        if (typeof service?.[request.method] !== 'function') {
          throw new Error(`no method ${request.service}.${request.method}`);
        }
        const result = await service[request.method](...(revive(request.args) as unknown[]));
        reply({ id: request.id, result: JSON.parse(JSON.stringify(result ?? null)) });
      } else {
        await strapi.destroy();
        reply({ id: request.id, result: null });
        process.disconnect();
        process.exit(0);
      }
    } catch (error) {
      reply({ id: request.id, error: (error as Error).stack ?? String(error) });
    }
  });
  reply({ type: 'ready', owner: plugin.service('runs').owner, port: strapi.config.get('server.port') });
};

main().catch((error) => {
  process.stderr.write(`instance failed to boot: ${(error as Error).stack}\n`);
  process.exit(1);
});
