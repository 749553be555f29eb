import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { createClaims } from './claims';
import { createFailurePolicy } from './failure-policy';
import { createKindRegistry } from './kinds';
import { createLedger } from './ledger';
import { createWorker } from './worker';

export { RUN_UID, serializeRun, serializeRuns } from './ledger';
export type { RunFilters, RunPage } from './ledger';
export type { ClaimResult, ScheduledOccurrence, TriggerInput } from './claims';

/**
 * The `runs` service: one facade over the job-kind registry (kinds.ts), the run records (ledger.ts), the claims that
 * queue runs (claims.ts), this instance's worker (worker.ts) and what follows a failure (failure-policy.ts). Every
 * state change is a conditional UPDATE on the run row, so two instances never both start, finish or recover the same
 * run, and `activeKey` (unique, null once finished) keeps at most one queued-or-running run per target.
 */
const runs = ({ strapi }: { strapi: Core.Strapi }) => {
  const kinds = createKindRegistry();
  const ledger = createLedger(strapi);
  // The worker starts what the claims queue; it is created last, as it needs the failure policy.
  let kick = () => {};
  const claims = createClaims({ strapi, kinds, ledger, onQueued: () => kick() });
  const failures = createFailurePolicy({ strapi, kinds, ledger, claims });
  const worker = createWorker({ strapi, kinds, ledger, failures });
  kick = worker.kick;

  return {
    /** Registers what a capability runs; one JobKind per kind name. */
    registerKind: kinds.register,
    getKind: kinds.get,
    requireKind: kinds.require,
    listKinds: kinds.list,
    /** The scope an API token needs for runs of this kind; null when no such kind is registered. */
    scopeOf: kinds.scopeOf,
    /** A kind's target with the kind's defaults filled in, or null. */
    findTarget: kinds.findTarget,
    listScheduled: kinds.listScheduled,

    trigger: claims.trigger,
    claimScheduled: claims.claimScheduled,
    claimOnTime: claims.claimOnTime,

    get: ledger.get,
    list: ledger.list,
    /**
     * Cancels a queued or running run (404 unknown, 409 `RUN_FINISHED`) and records `run.cancelled` for whoever asked:
     * `admin:<id>` or `token:<documentId>`.
     */
    async cancel(runId: string, by: { actor: string; ip: string | null }) {
      const run = await ledger.cancel(runId);
      await getService('audit').record({
        action: 'run.cancelled',
        subjectType: 'run',
        subjectId: run.id,
        actor: by.actor,
        ip: by.ip,
        details: { kind: run.kind, targetId: run.targetId, status: run.status },
      });
      return run;
    },
    cancelActive: ledger.cancelActive,
    lastScheduledFor: ledger.lastScheduledFor,
    latest: ledger.latest,
    purge: ledger.purge,
    purgeIfDue: () => ledger.purgeIfDue(),

    owner: worker.owner,
    dispatch: worker.dispatch,
    recoverExpiredLeases: worker.recoverExpiredLeases,
    drain: worker.drain,
    waitFor: worker.waitFor,
    stop: worker.stop,
  };
};

export type RunsService = ReturnType<typeof runs>;
export default runs;
