import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import type { Delivery, Run, Subscription, SubscriptionBody } from '../../../server/src/shared/types';

export type {
  Delivery,
  DeliveryStatus,
  Recipient,
  Subscription,
  SubscriptionBody,
  SubscriptionFormat,
  SubscriptionTarget,
} from '../../../server/src/shared/types';

/** A delivery channel apps may pick (`email` is built in). */
export interface SubscriptionChannel {
  name: string;
  label: string;
}

const BASE = '/api-tokens';
const subscriptionPath = (documentId: string) => `${BASE}/subscriptions/${encodeURIComponent(documentId)}`;

/** Calls to the plugin's subscription admin routes (`plugin::api-tokens.subscriptions.*`). */
export const useSubscriptionsApi = () => {
  const { get, post, put, del } = useFetchClient();

  return React.useMemo(
    () => ({
      listSubscriptions: async () => (await get<{ data: Subscription[] }>(`${BASE}/subscriptions`)).data.data,
      getSubscription: async (documentId: string) =>
        (await get<{ data: Subscription }>(subscriptionPath(documentId))).data.data,
      createSubscription: async (body: SubscriptionBody) =>
        (await post<{ data: Subscription }>(`${BASE}/subscriptions`, body)).data.data,
      updateSubscription: async (documentId: string, body: Partial<SubscriptionBody>) =>
        (await put<{ data: Subscription }>(subscriptionPath(documentId), body)).data.data,
      deleteSubscription: async (documentId: string) =>
        (await del<{ data: Subscription }>(subscriptionPath(documentId))).data.data,
      /**
       * 202 with the queued run; 409 `RUN_ACTIVE` (see `activeRunIdOf`) while one is active, 409
       * `SUBSCRIPTION_DISABLED` for a disabled subscription.
       */
      sendSubscription: async (documentId: string) =>
        (await post<{ data: Run }>(`${subscriptionPath(documentId)}/send`)).data.data,
      /** Each recipient's outcome, newest first; with `runId`, those that run last tried. */
      listDeliveries: async (documentId: string, runId?: string) =>
        (
          await get<{ data: Delivery[] }>(`${subscriptionPath(documentId)}/deliveries`, {
            params: runId ? { runId } : {},
          })
        ).data.data,
      listChannels: async () => (await get<{ data: SubscriptionChannel[] }>(`${BASE}/subscription-channels`)).data.data,
    }),
    [get, post, put, del]
  );
};

/** react-query keys of the subscription queries; invalidating `subscriptionKeys.all` refetches every one of them. */
export const subscriptionKeys = {
  all: ['api-tokens', 'subscriptions'] as const,
  list: () => [...subscriptionKeys.all, 'list'] as const,
  detail: (documentId: string) => [...subscriptionKeys.all, 'detail', documentId] as const,
  deliveries: (documentId: string, runId: string | null) =>
    [...subscriptionKeys.detail(documentId), 'deliveries', runId] as const,
  /** The registered channels change only with the app's code. */
  channels: () => [...subscriptionKeys.all, 'channels'] as const,
};
