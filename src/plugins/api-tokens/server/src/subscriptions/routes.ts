import { adminRoute, scopedTargetRoute } from '../utils/route-config';

export const subscriptionAdminRoutes = [
  { method: 'GET', path: '/subscriptions', handler: 'subscription.find', config: adminRoute('subscriptions.read') },
  {
    method: 'POST',
    path: '/subscriptions',
    handler: 'subscription.create',
    config: adminRoute('subscriptions.create'),
  },
  {
    method: 'GET',
    path: '/subscription-channels',
    handler: 'subscription.channels',
    config: adminRoute('subscriptions.read'),
  },
  {
    method: 'GET',
    path: '/subscriptions/:id',
    handler: 'subscription.findOne',
    config: adminRoute('subscriptions.read'),
  },
  {
    method: 'PUT',
    path: '/subscriptions/:id',
    handler: 'subscription.update',
    config: adminRoute('subscriptions.update'),
  },
  {
    method: 'DELETE',
    path: '/subscriptions/:id',
    handler: 'subscription.delete',
    config: adminRoute('subscriptions.delete'),
  },
  {
    method: 'POST',
    path: '/subscriptions/:id/send',
    handler: 'subscription.send',
    config: adminRoute('subscriptions.send'),
  },
  {
    method: 'GET',
    path: '/subscriptions/:id/deliveries',
    handler: 'subscription.deliveries',
    config: adminRoute('subscriptions.read'),
  },
];

export const subscriptionContentApiRoutes = [
  {
    method: 'POST',
    path: '/subscriptions/:id/runs',
    handler: 'subscription.trigger',
    config: scopedTargetRoute('subscriptions:execute', 'subscriptions'),
  },
];
