import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { JobDefaults, Run, RunTrigger } from '../jobs/types';
import type { InputValues } from '../reports/inputs';
import { REPORT_UID } from '../reports/service';
import { DASHBOARD_UID } from '../dashboards/service';
import { ERROR_CODES } from '../shared/error-codes';
import type { Recipient, Subscription, SubscriptionBody, SubscriptionTarget } from '../shared/types';
import { ConflictError } from '../utils/errors';
import { getService } from '../utils/get-service';
import { uniqueNames } from '../utils/unique-name';
import { findTarget, prepareTarget, selectTarget } from './targets';

export const SUBSCRIPTION_UID = 'plugin::api-tokens.subscription';
export const SUBSCRIPTION_KIND = 'subscription';
/** What a subscription that leaves them out gets: a late weekly mail beats none after downtime. */
export const SUBSCRIPTION_DEFAULTS: JobDefaults = { maxAttempts: 3, missedRunPolicy: 'once' };

type Row = Record<string, any>;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : ((value as string | null) ?? null));

const serialize = (row: Row): Omit<Subscription, 'targetName' | 'nextRunAt' | 'lastRun'> => ({
  id: row.id,
  documentId: row.documentId,
  name: row.name,
  target: { type: row.targetType, id: row.targetId },
  recipients: row.recipients ?? [],
  format: row.format,
  channel: row.channel ?? 'email',
  inputs: row.inputs ?? {},
  schedule: row.schedule ?? null,
  enabled: row.enabled !== false,
  maxAttempts: row.maxAttempts ?? SUBSCRIPTION_DEFAULTS.maxAttempts,
  missedRunPolicy: row.missedRunPolicy ?? SUBSCRIPTION_DEFAULTS.missedRunPolicy,
  skipIfEmpty: Boolean(row.skipIfEmpty),
  subject: row.subject ?? null,
  message: row.message ?? null,
  scheduleDisabledReason: row.scheduleDisabledReason ?? null,
  createdAt: iso(row.createdAt)!,
  updatedAt: iso(row.updatedAt)!,
});

/** The input values each recipient gets: the subscription's, this run's over them, the recipient's own over both. */
export const recipientValues = (base: InputValues, recipient: Recipient): InputValues => ({
  ...base,
  ...(recipient.inputs ?? {}),
});

/** One key per distinct set of input values, whatever the order of its names or values (`'North'` is `['North']`). */
export const valuesKey = (values: InputValues) =>
  JSON.stringify(
    Object.keys(values)
      .sort()
      .map((name) => [name, [...new Set(typeof values[name] === 'string' ? [values[name]] : values[name])].sort()])
  );

const subscriptions = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(SUBSCRIPTION_UID);
  const names = uniqueNames(strapi, SUBSCRIPTION_UID, 'A subscription');

  const findRow = async (documentId: string): Promise<Row> => {
    const row = await query().findOne({ where: { documentId } });
    if (!row) throw new errors.NotFoundError('Subscription not found');
    return row;
  };

  /** Adds each one's target name, next scheduled run and last run, with one query each for the whole list. */
  const enrich = async (rows: Row[]): Promise<Subscription[]> => {
    const ids = rows.map((row) => row.documentId);
    const nextRuns = await getService('schedules').nextRuns(SUBSCRIPTION_KIND, ids);
    const targetNames = new Map<string, string>();
    for (const [type, uid] of [
      ['report', REPORT_UID],
      ['dashboard', DASHBOARD_UID],
    ] as const) {
      const wanted = rows.filter((row) => row.targetType === type).map((row) => row.targetId);
      if (wanted.length === 0) continue;
      const found = await strapi.db
        .query(uid)
        .findMany({ where: { documentId: { $in: wanted } }, select: ['documentId', 'name'] });
      for (const target of found) targetNames.set(`${type}:${target.documentId}`, target.name);
    }
    const lastRuns = await getService('runs').latest(SUBSCRIPTION_KIND, ids);
    return rows.map((row) => {
      const last = lastRuns.get(row.documentId);
      return {
        ...serialize(row),
        targetName: targetNames.get(`${row.targetType}:${row.targetId}`) ?? null,
        nextRunAt: nextRuns.get(row.documentId)?.toISOString() ?? null,
        lastRun: last ? { id: last.id, status: last.status, finishedAt: last.finishedAt } : null,
      };
    });
  };

  const one = async (row: Row) => (await enrich([row]))[0];

  /**
   * The target exists (400 naming `target.id`), and every input value set the subscription can send is valid for it:
   * the subscription's own, and each recipient's over it (400 naming `inputs.<name>` or `recipients[i].inputs.<name>`).
   */
  const checkTarget = async (body: Pick<SubscriptionBody, 'target' | 'recipients' | 'inputs'>) => {
    await findTarget(body.target);
    const base = body.inputs ?? {};
    const withInputs = body.recipients.some((recipient) => recipient.inputs && Object.keys(recipient.inputs).length);
    if (Object.keys(base).length === 0 && !withInputs) return;
    const target = await prepareTarget(body.target);
    await selectTarget(target, base, 'inputs');
    for (const [index, recipient] of body.recipients.entries()) {
      if (!recipient.inputs || Object.keys(recipient.inputs).length === 0) continue;
      await selectTarget(target, recipientValues(base, recipient), `recipients[${index}].inputs`);
    }
  };

  const normalizeRecipients = (recipients: Recipient[]) =>
    recipients.map(({ email, inputs }) => ({
      email: email.trim(),
      ...(inputs && Object.keys(inputs).length > 0 ? { inputs } : {}),
    }));

  const toData = (input: Partial<SubscriptionBody>) => {
    const { target, recipients, ...rest } = input;
    return {
      ...rest,
      ...(target ? { targetType: target.type, targetId: target.id } : {}),
      ...(recipients ? { recipients: normalizeRecipients(recipients) } : {}),
    };
  };

  return {
    findRow,
    serialize,

    async list() {
      return enrich(await query().findMany({ orderBy: [{ name: 'asc' }] }));
    },

    async findOne(documentId: string) {
      return one(await findRow(documentId));
    },

    async create(input: SubscriptionBody) {
      await checkTarget(input);
      const row = await names.create({
        channel: 'email',
        inputs: {},
        enabled: true,
        skipIfEmpty: false,
        ...toData(input),
      } as { name: string });
      await getService('schedules').sync(SUBSCRIPTION_KIND, row.documentId);
      return one(row);
    },

    async update(documentId: string, input: Partial<SubscriptionBody>) {
      const row = await findRow(documentId);
      const current = serialize(row);
      if (input.target || input.recipients || input.inputs !== undefined) {
        await checkTarget({
          target: input.target ?? current.target,
          recipients: input.recipients ?? current.recipients,
          inputs: input.inputs === undefined ? current.inputs : (input.inputs ?? {}),
        });
      }
      const data: Row = toData({ ...input, ...(input.inputs === null ? { inputs: {} } : {}) });
      // Changing the schedule or enabling it again gives the scheduler another chance.
      if (input.schedule !== undefined || input.enabled === true) data.scheduleDisabledReason = null;
      const updated = await names.update(row, data);
      await getService('schedules').sync(SUBSCRIPTION_KIND, documentId);
      return one(updated);
    },

    async delete(documentId: string) {
      const row = await findRow(documentId);
      const answer = await one(row);
      await query().delete({ where: { id: row.id } });
      await getService('schedules').sync(SUBSCRIPTION_KIND, documentId);
      await getService('runs').cancelActive(SUBSCRIPTION_KIND, documentId);
      await getService('deliveries').deleteOf(documentId);
      return answer;
    },

    /** The subscriptions that deliver this report or dashboard (`[{documentId, name}]`), for its delete. */
    async delivering(target: SubscriptionTarget): Promise<{ documentId: string; name: string }[]> {
      return query().findMany({
        where: { targetType: target.type, targetId: target.id },
        select: ['documentId', 'name'],
        orderBy: [{ name: 'asc' }],
      });
    },

    /**
     * Queues a run now (from the admin or an API token): 409 SUBSCRIPTION_DISABLED when disabled, 409 RUN_ACTIVE while
     * one is queued or running. `inputs` override the subscription's for this run and are checked as a save checks them.
     */
    async send(
      documentId: string,
      request: { trigger: RunTrigger; tokenId?: string; idempotencyKey?: string | null; inputs?: InputValues | null }
    ): Promise<Run> {
      const row = await findRow(documentId);
      if (row.enabled === false) {
        throw new ConflictError(`The subscription "${row.name}" is disabled: enable it first`, {
          code: ERROR_CODES.SUBSCRIPTION_DISABLED,
        });
      }
      const inputs = request.inputs && Object.keys(request.inputs).length > 0 ? request.inputs : null;
      if (inputs) {
        const current = serialize(row);
        await checkTarget({
          target: current.target,
          recipients: current.recipients,
          inputs: { ...current.inputs, ...inputs },
        });
      }
      return getService('runs').trigger({
        kind: SUBSCRIPTION_KIND,
        targetId: documentId,
        trigger: request.trigger,
        tokenId: request.tokenId ?? null,
        idempotencyKey: request.idempotencyKey ?? null,
        params: inputs ? { inputs } : null,
      });
    },

    async deliveries(documentId: string, runId?: string) {
      await findRow(documentId);
      return getService('deliveries').list(documentId, { runId });
    },
  };
};

export type SubscriptionsService = ReturnType<typeof subscriptions>;
export default subscriptions;
