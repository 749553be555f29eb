import { errors } from '@strapi/utils';
import { MISSED_RUN_POLICIES, type JobKind, type JobTarget, type ResolvedTarget, type RunKind } from './types';

const KIND_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The registered job kinds: each is the only source of truth for its name, scope, label and defaults. A new kind
 * (a subscription, an embed) registers here and needs no change to the ledger or its schema.
 */
export const createKindRegistry = () => {
  const kinds = new Map<RunKind, JobKind>();

  const check = (kind: JobKind) => {
    const name = kind?.kind;
    if (typeof name !== 'string' || !KIND_NAME.test(name)) {
      throw new Error(`api-tokens: a job kind's name must match ${KIND_NAME} (got ${JSON.stringify(name)})`);
    }
    if (kinds.has(name)) throw new Error(`api-tokens: job kind "${name}" is already registered`);
    for (const key of ['scope', 'label'] as const) {
      if (typeof kind[key] !== 'string' || kind[key].trim() === '') {
        throw new Error(`api-tokens: job kind "${name}" needs a ${key}`);
      }
    }
    const { maxAttempts, missedRunPolicy } = kind.defaults ?? {};
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new Error(`api-tokens: job kind "${name}" needs defaults.maxAttempts, a positive integer`);
    }
    if (!MISSED_RUN_POLICIES.includes(missedRunPolicy)) {
      throw new Error(
        `api-tokens: job kind "${name}" needs defaults.missedRunPolicy (${MISSED_RUN_POLICIES.join(' or ')})`
      );
    }
  };

  const requireKind = (name: RunKind): JobKind => {
    const kind = kinds.get(name);
    if (!kind) throw new errors.ApplicationError(`No job kind "${name}" is registered`);
    return kind;
  };

  /** The target with the kind's defaults for what it leaves out. */
  const resolve = (kind: JobKind, target: JobTarget): ResolvedTarget => ({
    ...target,
    maxAttempts: target.maxAttempts ?? kind.defaults.maxAttempts,
    missedRunPolicy: target.missedRunPolicy ?? kind.defaults.missedRunPolicy,
  });

  return {
    register(kind: JobKind) {
      check(kind);
      kinds.set(kind.kind, kind);
    },

    get: (name: RunKind): JobKind | undefined => kinds.get(name),

    require: requireKind,

    list: (): JobKind[] => [...kinds.values()],

    names: (): RunKind[] => [...kinds.keys()],

    /** The scope an API token needs for runs of this kind; null for a kind that is not registered. */
    scopeOf: (name: RunKind): string | null => kinds.get(name)?.scope ?? null,

    /** The kind's target with defaults applied, or null when it does not exist. */
    async findTarget(name: RunKind, targetId: string): Promise<ResolvedTarget | null> {
      const kind = requireKind(name);
      const target = await kind.findTarget(targetId);
      return target ? resolve(kind, target) : null;
    },

    async listScheduled(kind: JobKind): Promise<ResolvedTarget[]> {
      return (await kind.listScheduled()).map((target) => resolve(kind, target));
    },

    /** `<label> not found`, for a target that does not exist. */
    notFound: (name: RunKind) => new errors.NotFoundError(`${kinds.get(name)?.label ?? 'Target'} not found`),
  };
};

export type KindRegistry = ReturnType<typeof createKindRegistry>;
