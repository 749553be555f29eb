import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

const bootstrap = async (_: { strapi: Core.Strapi }) => {
  // The job scheduler's tick (off when scheduler.enabled is false, e.g. API_TOKENS_SCHEDULER_ENABLED=false in tests).
  getService('scheduler').start();
};

export default bootstrap;
