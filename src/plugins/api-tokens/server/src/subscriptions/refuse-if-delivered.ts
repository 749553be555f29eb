import type { SubscriptionTarget } from '../shared/types';
import { ConflictError } from '../utils/errors';
import { getService } from '../utils/get-service';

/** 409 `code` when subscriptions deliver the target (a report's or a dashboard's delete). */
export const refuseIfDelivered = async (target: SubscriptionTarget, label: string, code: string) => {
  const using = await getService('subscriptions').delivering(target);
  if (using.length > 0) {
    throw new ConflictError(
      `${label} is delivered by the subscription(s) ${using.map((s) => `"${s.name}"`).join(', ')}: change or delete them first`,
      { code, subscriptions: using }
    );
  }
};
