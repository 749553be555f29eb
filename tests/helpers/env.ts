// Runs in every test worker before the test file.
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
process.env.STRAPI_HIDE_STARTUP_MESSAGE = 'true';
process.env.BROWSER = 'none';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
