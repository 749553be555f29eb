// Runs in every test worker before the test file.
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
process.env.STRAPI_HIDE_STARTUP_MESSAGE = 'true';
process.env.BROWSER = 'none';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';

// better-sqlite3's native addon is loaded once per worker (jest leaves `.node` files to Node's own require, which
// caches them) and keeps the SqliteError class of the first test file that opened a database. A later file in the
// same worker would get its database errors from that file's realm: not `instanceof Error` here, so
// `rejects.toThrow()` says nothing was thrown. Clearing the flag lets this file's better-sqlite3 install its own class.
const sqliteAddon: { isInitialized?: boolean } = require('better-sqlite3/build/Release/better_sqlite3.node');
sqliteAddon.isInitialized = false;
