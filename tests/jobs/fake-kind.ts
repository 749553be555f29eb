import type { Core } from '@strapi/strapi';
import type {
  JobKind,
  JobTarget,
  RunContext,
  RunKind,
  RunStats,
} from '../../src/plugins/api-tokens/server/src/jobs/types';

export const RUN_UID = 'plugin::api-tokens.job-run';
export const SCHEDULE_UID = 'plugin::api-tokens.job-schedule';

export const runsService = (strapi: Core.Strapi) => strapi.plugin('api-tokens').service('runs') as any;
export const schedulerService = (strapi: Core.Strapi) => strapi.plugin('api-tokens').service('scheduler') as any;
export const schedulesService = (strapi: Core.Strapi) => strapi.plugin('api-tokens').service('schedules') as any;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise the test resolves when it wants a stuck executor to go on. */
export const gate = () => {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
};

let counter = 0;

/** A controllable JobKind: in-memory targets, a swappable executor, and a record of what it did. */
export const createFakeKind = (kind: RunKind = 'fake-delivery', overrides: Partial<JobKind> = {}) => {
  const targets = new Map<string, JobTarget>();
  const disabled: { targetId: string; reason: string }[] = [];
  const executed: string[] = [];
  let behaviour: (context: RunContext) => Promise<RunStats> = async () => ({ rows: 3 });

  const jobKind: JobKind = {
    kind,
    scope: kind === 'refresh' ? 'semantic-models:refresh' : 'subscriptions:execute',
    label: kind === 'fake-delivery' ? 'Subscription' : `Fake ${kind}`,
    defaults: { maxAttempts: 1, missedRunPolicy: 'once' },
    findTarget: async (id) => targets.get(id) ?? null,
    listScheduled: async () => [...targets.values()].filter((target) => target.schedule),
    execute: async (context) => {
      executed.push(context.run.id);
      return behaviour(context);
    },
    disable: async (targetId, reason) => {
      disabled.push({ targetId, reason });
      const target = targets.get(targetId);
      if (target) target.enabled = false;
    },
    ...overrides,
  };

  return {
    jobKind,
    targets,
    disabled,
    executed,
    /** Adds a target and, like a real kind after a save, syncs its schedule row. */
    async addTarget(fields: Partial<JobTarget> = {}): Promise<JobTarget> {
      const target: JobTarget = {
        id: `target-${process.pid}-${(counter += 1)}`,
        schedule: null,
        enabled: true,
        ...fields,
      };
      targets.set(target.id, target);
      await schedulesService(strapi).sync(kind, target.id);
      return target;
    },
    behave(fn: (context: RunContext) => Promise<RunStats>) {
      behaviour = fn;
    },
    /** Forgets every target, and their schedule rows. */
    async reset() {
      targets.clear();
      await strapi.db.query(SCHEDULE_UID).deleteMany({ where: { kind } });
      disabled.length = 0;
      executed.length = 0;
      behaviour = async () => ({ rows: 3 });
    },
  };
};

export type FakeKind = ReturnType<typeof createFakeKind>;

/** Polls until `check` is truthy. */
export const eventually = async <T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
};
