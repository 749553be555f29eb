import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from './ports';
import { CHROMIUM_PATH } from './services';
import { APP_DIR, removeSqliteDatabase } from './strapi';

const STRAPI_BIN = path.join(APP_DIR, 'node_modules', '.bin', 'strapi');

/** `describe` for a suite that needs Chromium: skipped, with the reason printed, where there is none. */
export const describeWithBrowser = (): jest.Describe => {
  const reason = process.env.TEST_BROWSER_SKIP_REASON;
  if (!reason) return describe;
  console.log(`Skipping browser suite: ${reason}`);
  return describe.skip;
};

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

export { freePort };

/** Runs a command to completion; rejects with its output when it fails. */
const run = (command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${output}`))
    );
  });

/** `strapi build`: compiles the app and bundles the admin panel (with the plugin's admin half) into dist/build. */
export const buildAdmin = () =>
  run(STRAPI_BIN, ['build'], { ...process.env, NODE_ENV: 'development', STRAPI_TELEMETRY_DISABLED: 'true' });

export interface StrapiProcess {
  url: string;
  /** Everything the process printed, for failure messages. */
  output: () => string;
  /** Stops the process and removes its SQLite files. */
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STARTED = 'Strapi started successfully';
const PORT_TAKEN = /port \d+ is already used/i;
const PORT_ATTEMPTS = 3;

/** Spawns `strapi start` on `port`; resolves once it logged that it listens, or with the reason it could not. */
const spawnStrapi = async (
  port: number,
  databaseFilename: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number
): Promise<{ process?: StrapiProcess; portTaken?: boolean }> => {
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(STRAPI_BIN, ['start'], {
    cwd: APP_DIR,
    // Its own process group, so stop() reaches any grandchildren too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: databaseFilename,
      NODE_ENV: 'development',
      // Info, for the "started" line that tells this process (not another one on the port) is listening.
      LOG_LEVEL: 'info',
      STRAPI_TELEMETRY_DISABLED: 'true',
      BROWSER: 'none',
      ...env,
    },
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const stop = async () => {
    if (hasExited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 15_000))),
    ]);
    clearTimeout(timer);
    if (!killed) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (PORT_TAKEN.test(output)) {
      await stop();
      return { portTaken: true };
    }
    if (hasExited) throw new Error(`strapi start exited early:\n${output}`);
    if (output.includes(STARTED)) {
      const status = await fetch(`${url}/_health`)
        .then((res) => res.status)
        .catch(() => 0);
      if (status === 204) {
        const stopAndClean = async () => {
          await stop();
          removeSqliteDatabase(databaseFilename);
        };
        return { process: { url, output: () => output, stop: stopAndClean } };
      }
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`strapi start did not answer /_health within ${timeoutMs} ms:\n${output}`);
};

/**
 * Spawns `strapi start` on a fresh SQLite file and waits until it listens and GET /_health answers 204. `env` adds or
 * overrides variables of the child (e.g. `{ DEMO: 'true' }` to seed the demo sales and admin). A port taken between
 * freePort() and the listen is retried on another one.
 */
export const startStrapiProcess = async ({
  databaseFilename,
  timeoutMs = 120_000,
  env = {},
}: {
  databaseFilename: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<StrapiProcess> => {
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
    const { process: started } = await spawnStrapi(await freePort(), databaseFilename, env, timeoutMs);
    if (started) return started;
  }
  throw new Error(`strapi start found its port taken ${PORT_ATTEMPTS} times`);
};

/** Logs in to the admin API (not the screens) and returns the admin JWT. */
export const adminJwt = async (url: string, credentials: { email: string; password: string }): Promise<string> => {
  const res = await fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${await res.text()}`);
  return (await res.json()).data.token;
};

/**
 * `fetch` on the plugin's admin API (`/api-tokens<route>`) as `credentials`, logged in on first use and then reused:
 * Strapi rate-limits admin logins. `url` is read per call, as the app starts after the suite defines it.
 */
export const pluginAdminApi = (url: () => string, credentials: { email: string; password: string }) => {
  let jwt: string | undefined;
  return async (route: string, init: { method?: string; body?: unknown } = {}) => {
    jwt ??= await adminJwt(url(), credentials);
    return fetch(`${url()}/api-tokens${route}`, {
      method: init.method ?? 'GET',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}` },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
  };
};

const SCREENSHOTS = path.join(__dirname, '..', 'e2e', 'screenshots');

/** A full-page screenshot in tests/e2e/screenshots (git-ignored), with the pointer out of the way. */
export const screenshot = async (page: Page, name: string) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** Closes the first-login guided tour or onboarding dialog, if Strapi shows one. */
export const dismissOnboarding = async (page: Page) => {
  const dialog = page.getByRole('dialog');
  try {
    await dialog.first().waitFor({ timeout: 3_000 });
  } catch {
    return;
  }
  const close = dialog.first().getByRole('button', { name: /skip|close|dismiss|got it|maybe later/i });
  if (await close.count()) await close.first().click();
  else await page.keyboard.press('Escape');
  await dialog
    .first()
    .waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => {});
};

/** Closes Strapi's dismissible announcement banners (e.g. the Media Library one), so screenshots show the page. */
export const dismissBanners = async (page: Page) => {
  const banner = page
    .locator('div')
    .filter({ hasText: 'Introducing the new Media Library' })
    .filter({ has: page.getByRole('button', { name: 'Close' }) })
    .last();
  if (await banner.count()) await banner.getByRole('button', { name: 'Close' }).click();
};

/**
 * Logs in through the real login screen and closes what Strapi shows on a first login. `beforeSubmit` runs on the
 * filled form (e.g. a screenshot).
 */
export const logInThroughScreen = async (
  page: Page,
  credentials: { email: string; password: string },
  beforeSubmit?: () => Promise<void>
) => {
  await page.goto('/admin/auth/login');
  await page.locator('input[name="email"]').fill(credentials.email);
  await page.locator('input[name="password"]').fill(credentials.password);
  await beforeSubmit?.();
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
  await dismissOnboarding(page);
  await dismissBanners(page);
};

export interface DemoSession {
  strapi: StrapiProcess;
  browser: Browser;
  page: Page;
}

/**
 * `strapi start` with `DEMO=true` (5,000 seeded sales and the demo admin) on a fresh SQLite file, and a Chromium page
 * (1440×900, UTC, en-US) logged in to its admin as the demo admin. `env` adds variables (e.g. a test SMTP server's).
 */
export const startDemoSession = async (
  databaseFilename: string,
  admin: { email: string; password: string },
  env: NodeJS.ProcessEnv = {}
) => {
  const strapi = await startStrapiProcess({
    databaseFilename,
    env: { DEMO: 'true', DEMO_ADMIN_EMAIL: admin.email, DEMO_ADMIN_PASSWORD: admin.password, ...env },
    timeoutMs: 180_000,
  });
  const browser = await launchBrowser();
  const context = await browser.newContext({
    baseURL: strapi.url,
    viewport: { width: 1440, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await logInThroughScreen(page, admin);
  return { strapi, browser, page };
};

/** After a test: when the app died under it, says so with its output (else the failure reads as a UI timeout). */
export const reportIfDown = async (strapi: StrapiProcess | undefined) => {
  if (!strapi) return;
  const health = await fetch(`${strapi.url}/_health`)
    .then((res) => res.status)
    .catch(() => 0);
  if (health !== 204)
    console.error(`strapi start is down (health ${health}); its output:\n${strapi.output().slice(-5000)}`);
};
