/**
 * `error.details.code` of the errors a client must tell apart. Clients (the admin panel included) read the code,
 * never the message, which may change.
 */
export const ERROR_CODES = {
  /** 400 from a model's preview or values: it has no snapshot yet. */
  MODEL_NOT_READY: 'MODEL_NOT_READY',
  /** 409 from a trigger: a run of that kind is already queued or running for the target (`details.runId`). */
  RUN_ACTIVE: 'RUN_ACTIVE',
  /** 409 from a cancel: the run has already finished (`details.runId`). */
  RUN_FINISHED: 'RUN_FINISHED',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
