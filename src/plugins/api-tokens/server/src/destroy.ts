import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

const destroy = async (_: { strapi: Core.Strapi }) => {
  // Stops the tick and the runs worker first: they write to the database.
  await getService('scheduler').destroy();
  await getService('tokens').flush();
  await getService('audit').flush();
  await getService('cluster').destroy();
};

export default destroy;
