import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

const destroy = async (_: { strapi: Core.Strapi }) => {
  await getService('tokens').flush();
};

export default destroy;
