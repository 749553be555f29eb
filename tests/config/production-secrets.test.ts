import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP_DIR, bootInChildProcess } from '../helpers/strapi';

const SECRETS = {
  APP_KEYS: 'key-one,key-two',
  ADMIN_JWT_SECRET: 'admin-jwt-secret-for-the-test',
  API_TOKEN_SALT: 'api-token-salt-for-the-test',
  TRANSFER_TOKEN_SALT: 'transfer-token-salt-for-the-test',
  ENCRYPTION_KEY: 'encryption-key-for-the-test',
  JWT_SECRET: 'jwt-secret-for-the-test',
  API_TOKENS_PEPPER: 'pepper-0123456789-0123456789-0123456789',
  EMBED_JWT_SECRET: 'embed-0123456789-0123456789-0123456789',
};

/** This process's environment in production, without any secret (a Docker build has none). */
const productionEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' };
  for (const name of [...Object.keys(SECRETS), 'API_TOKENS_PREVIOUS_PEPPERS', 'EMBED_JWT_PREVIOUS_SECRETS']) delete env[name];
  return { ...env, ...extra };
};

const bootInProduction = (env: Record<string, string>) => bootInChildProcess(productionEnv(env));

/** Runs a command to completion and resolves with its exit code and output. */
const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });

/**
 * A copy of the app's sources (node_modules linked) in a temporary directory, so its build writes dist/ there and not
 * under the test workers that boot the app's own dist/.
 */
const copyOfApp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'reporting-hub-build-'));
  for (const entry of ['package.json', 'tsconfig.json', 'favicon.png', 'config', 'database', 'public', 'src']) {
    if (!existsSync(path.join(APP_DIR, entry))) continue;
    cpSync(path.join(APP_DIR, entry), path.join(dir, entry), {
      recursive: true,
      filter: (source) => !/[\\/](dist|\.tmp|node_modules)$/.test(source),
    });
  }
  symlinkSync(path.join(APP_DIR, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
};

describe('production secrets', () => {
  it('refuses to start without them, naming each missing one in one message', () => {
    const { status, output } = bootInProduction({});
    expect(status).toBe(1);
    const message = output.slice(output.indexOf('BOOT FAILED'));
    expect(message).toContain('8 secret(s) missing');
    for (const name of Object.keys(SECRETS)) expect(message).toContain(`${name} must be set in production`);
  });

  it('names only the ones that are missing', () => {
    const { status, output } = bootInProduction({ ...SECRETS, ADMIN_JWT_SECRET: '', ENCRYPTION_KEY: '' });
    expect(status).toBe(1);
    expect(output).toContain('2 secret(s) missing');
    expect(output).toContain('ADMIN_JWT_SECRET must be set in production');
    expect(output).toContain('ENCRYPTION_KEY must be set in production');
    expect(output).not.toContain('APP_KEYS must be set');
  });

  it('starts with all of them', () => {
    const { status, output } = bootInProduction(SECRETS);
    expect(output).toContain('BOOTED');
    expect(status).toBe(0);
  });

  it('builds with none of them: NODE_ENV=production npm run build', async () => {
    const dir = copyOfApp();
    try {
      const { code, output } = await run('npm', ['run', 'build'], dir, productionEnv());
      if (code !== 0) throw new Error(`npm run build failed (${code}):\n${output}`);
      expect(existsSync(path.join(dir, 'dist', 'build', 'index.html'))).toBe(true);
      expect(existsSync(path.join(dir, 'dist', 'config', 'server.js'))).toBe(true);
      // Nothing was generated for development either.
      expect(existsSync(path.join(dir, '.tmp', 'dev-secrets.json'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
