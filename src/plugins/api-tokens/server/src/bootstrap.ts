import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

const bootstrap = async (_: { strapi: Core.Strapi }) => {
  // Fails the boot in production when API_TOKENS_PEPPER is missing. Not in register(): the app's register() runs
  // after the plugins' and names every missing secret at once.
  getService('tokens').getPeppers();
  // The job scheduler's tick (off when scheduler.enabled is false, e.g. API_TOKENS_SCHEDULER_ENABLED=false in tests).
  getService('scheduler').start();
};

export default bootstrap;
