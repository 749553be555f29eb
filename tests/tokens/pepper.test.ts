import { bootInChildProcess, startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken, tokenRow, flushTokenWrites } from '../helpers/tokens';

const PEPPER_A = 'pepper-a-0123456789-0123456789-0123456789';
const PEPPER_B = 'pepper-b-0123456789-0123456789-0123456789';
const PEPPER_C = 'pepper-c-0123456789-0123456789-0123456789';

const bootInProduction = (env: Record<string, string>) =>
  bootInChildProcess({
    ...process.env,
    NODE_ENV: 'production',
    APP_KEYS: 'key-one,key-two',
    ADMIN_JWT_SECRET: 'admin-jwt-secret-for-the-test',
    API_TOKEN_SALT: 'api-token-salt-for-the-test',
    TRANSFER_TOKEN_SALT: 'transfer-token-salt-for-the-test',
    ENCRYPTION_KEY: 'encryption-key-for-the-test',
    JWT_SECRET: 'jwt-secret-for-the-test',
    API_TOKENS_PEPPER: '',
    EMBED_JWT_SECRET: 'embed-jwt-secret-for-the-test-0123456789',
    ...env,
  });

describe('the token pepper', () => {
  it('refuses to boot in production without API_TOKENS_PEPPER, and boots with it', () => {
    const without = bootInProduction({});
    expect(without.status).toBe(1);
    expect(without.output).toContain('API_TOKENS_PEPPER must be set in production');

    const short = bootInProduction({ API_TOKENS_PEPPER: 'too-short' });
    expect(short.status).toBe(1);
    expect(short.output).toContain('at least 32 characters');

    const withPepper = bootInProduction({ API_TOKENS_PEPPER: PEPPER_A });
    expect(withPepper.output).toContain('BOOTED');
    expect(withPepper.status).toBe(0);
    expect(withPepper.output).not.toContain(PEPPER_A);
  });

  describe('rotation', () => {
    let app: TestApp | undefined;
    afterEach(async () => {
      await app?.stop();
      app = undefined;
    });

    it('keeps tokens working after a rotation, re-keys them on use, and drops retired peppers', async () => {
      app = await startStrapi({ env: { API_TOKENS_PEPPER: PEPPER_A, API_TOKENS_PREVIOUS_PEPPERS: undefined } });
      const token = await issueToken(app, { name: 'rotated' });
      const before = await tokenRow(app, token.documentId);
      const databaseName = app.databaseName;
      await app.stop({ keepDatabase: true });

      app = await startStrapi({
        databaseName,
        env: { API_TOKENS_PEPPER: PEPPER_B, API_TOKENS_PREVIOUS_PEPPERS: PEPPER_A },
      });
      await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(200);
      await flushTokenWrites();
      const after = await tokenRow(app, token.documentId);
      expect(after.pepperId).not.toBe(before.pepperId);
      expect(after.digest).not.toBe(before.digest);
      await app.stop({ keepDatabase: true });

      app = await startStrapi({
        databaseName,
        env: { API_TOKENS_PEPPER: PEPPER_B, API_TOKENS_PREVIOUS_PEPPERS: undefined },
      });
      await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(200);
      await app.stop({ keepDatabase: true });

      app = await startStrapi({
        databaseName,
        env: { API_TOKENS_PEPPER: PEPPER_C, API_TOKENS_PREVIOUS_PEPPERS: undefined },
      });
      await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(401);
    });

    it('generates a development pepper once and keeps it across restarts', async () => {
      app = await startStrapi({ env: { API_TOKENS_PEPPER: undefined, API_TOKENS_PREVIOUS_PEPPERS: undefined } });
      const token = await issueToken(app, { name: 'dev pepper' });
      const databaseName = app.databaseName;
      await app.stop({ keepDatabase: true });

      app = await startStrapi({ databaseName, env: { API_TOKENS_PEPPER: undefined } });
      await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(200);
    });
  });
});
