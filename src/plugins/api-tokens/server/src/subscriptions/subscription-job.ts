import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { getConfig } from '../config';
import { LeaseLost } from '../jobs/errors';
import type { JobKind, JobTarget, RunContext, RunStats } from '../jobs/types';
import type { InputValues } from '../reports/inputs';
import type { Recipient } from '../shared/types';
import { describeError } from '../utils/errors';
import { getService } from '../utils/get-service';
import { composeMessage } from './message';
import { render } from './render';
import { recipientValues, SUBSCRIPTION_DEFAULTS, SUBSCRIPTION_KIND, SUBSCRIPTION_UID, valuesKey } from './service';
import { prepareTarget, selectTarget, type PreparedTarget } from './targets';
import type { SubscriptionFormat } from './types';

type Row = Record<string, any>;

const toTarget = (row: Row): JobTarget => ({
  id: row.documentId,
  schedule: row.schedule ?? null,
  enabled: row.enabled !== false && !row.scheduleDisabledReason,
  createdAt: row.createdAt,
  maxAttempts: row.maxAttempts ?? undefined,
  missedRunPolicy: row.missedRunPolicy ?? undefined,
});

/** Thrown when a run stops because it was cancelled or lost its lease (checked before every recipient). */
const stopIfCancelled = async (context: RunContext) => {
  if (await context.isCancelled()) {
    throw context.signal.reason instanceof Error ? context.signal.reason : new LeaseLost(context.run.id);
  }
};

/** The recipients still to reach, grouped by the input values each gets: one rendering per group. */
const groupRecipients = (recipients: Recipient[], base: InputValues, done: Set<string>) => {
  const groups = new Map<string, { values: InputValues; recipients: Recipient[] }>();
  for (const recipient of recipients) {
    if (done.has(recipient.email.toLowerCase())) continue;
    const values = recipientValues(base, recipient);
    const key = valuesKey(values);
    const group = groups.get(key) ?? { values, recipients: [] };
    group.recipients.push(recipient);
    groups.set(key, group);
  }
  return [...groups.values()];
};

/**
 * A subscription as a job kind: each run renders its target once per distinct input set and delivers it to every
 * recipient its delivery key has not reached yet, recording each outcome. It fails (and is retried per policy) while
 * any recipient was not reached.
 */
export const createSubscriptionJob = (strapi: Core.Strapi): JobKind => ({
  kind: SUBSCRIPTION_KIND,
  scope: 'subscriptions:execute',
  label: 'Subscription',
  defaults: SUBSCRIPTION_DEFAULTS,

  async findTarget(targetId) {
    const row = await strapi.db.query(SUBSCRIPTION_UID).findOne({ where: { documentId: targetId } });
    return row ? toTarget(row) : null;
  },

  async listScheduled() {
    const rows = await strapi.db.query(SUBSCRIPTION_UID).findMany({
      where: { schedule: { $notNull: true } },
      select: [
        'documentId',
        'schedule',
        'enabled',
        'scheduleDisabledReason',
        'createdAt',
        'maxAttempts',
        'missedRunPolicy',
      ],
    });
    return rows.map(toTarget).filter((target) => target.schedule !== null);
  },

  async execute(context) {
    const row = await getService('subscriptions').findRow(context.run.targetId);
    const subscription = getService('subscriptions').serialize(row);
    const channel = getService('channels').get(subscription.channel);
    if (!channel) throw new Error(`The delivery channel "${subscription.channel}" is not registered`);
    const deliveries = getService('deliveries');
    const done = await deliveries.doneUnder(context.deliveryKey);
    const runInputs = (context.params?.inputs ?? {}) as InputValues;
    const groups = groupRecipients(subscription.recipients, { ...subscription.inputs, ...runInputs }, done);

    const stats: Required<Pick<RunStats, 'rows' | 'bytes' | 'recipients' | 'sent' | 'failed'>> & RunStats = {
      rows: 0,
      bytes: 0,
      recipients: subscription.recipients.length,
      sent: done.size,
      failed: 0,
    };
    const failures: string[] = [];
    let skippedEmpty = 0;
    const outcome = (
      email: string,
      status: 'sent' | 'failed' | 'skipped',
      detail: { response?: string; error?: string }
    ) =>
      deliveries.record({
        subscriptionId: subscription.documentId,
        runId: context.run.id,
        deliveryKey: context.deliveryKey,
        email,
        channel: channel.name,
        status,
        ...detail,
      });

    const directory = await mkdtemp(path.join(os.tmpdir(), 'api-tokens-subscription-'));
    try {
      let target: PreparedTarget | null = null;
      for (const group of groups) {
        await stopIfCancelled(context);
        let rendered;
        try {
          target ??= await prepareTarget(subscription.target);
          const selection = await selectTarget(target, group.values);
          if (subscription.skipIfEmpty && (await selection.count()) === 0) {
            for (const recipient of group.recipients)
              await outcome(recipient.email, 'skipped', { response: 'No rows' });
            skippedEmpty += 1;
            continue;
          }
          rendered = await render(subscription.format as SubscriptionFormat, {
            title: subscription.subject ?? target.name,
            targetType: subscription.target.type,
            sections: selection.sections,
            directory: await mkdtemp(path.join(directory, 'set-')),
            htmlRowLimit: getConfig().subscriptions.htmlRowLimit,
          });
        } catch (error) {
          // Nothing to send to this group: each of its recipients records why.
          const reason = describeError(error);
          for (const recipient of group.recipients) {
            await outcome(recipient.email, 'failed', { error: reason });
            failures.push(`${recipient.email}: ${reason}`);
          }
          stats.failed = failures.length;
          continue;
        }
        stats.rows += rendered.rows;
        stats.bytes += rendered.bytes;
        for (const recipient of group.recipients) {
          await stopIfCancelled(context);
          const message = composeMessage(subscription, target!.name, recipient.email, rendered);
          try {
            const receipt = await channel.send(message, { signal: context.signal });
            await outcome(recipient.email, 'sent', { response: receipt.response });
            stats.sent += 1;
          } catch (error) {
            const reason = describeError(error);
            await outcome(recipient.email, 'failed', { error: reason });
            failures.push(`${recipient.email}: ${reason}`);
            stats.failed = failures.length;
          }
          await context.heartbeat(stats);
        }
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
    if (groups.length > 0 && skippedEmpty === groups.length) stats.skipped = 'empty';
    await context.heartbeat(stats);
    if (failures.length > 0) {
      throw new Error(
        `Not delivered to ${failures.length} of ${stats.recipients} recipient(s): ${failures.slice(0, 5).join('; ')}`
      );
    }
    return stats;
  },

  async disable(targetId, reason) {
    await strapi.db
      .query(SUBSCRIPTION_UID)
      .update({ where: { documentId: targetId }, data: { scheduleDisabledReason: reason } });
  },
});
