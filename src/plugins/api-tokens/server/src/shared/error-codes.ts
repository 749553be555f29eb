/**
 * `error.details.code` of the errors a client must tell apart. Clients (the admin panel included) read the code,
 * never the message, which may change.
 */
export const ERROR_CODES = {
  /** 409 from a model's preview or values, or a report's data or inputs: the model has no snapshot yet. */
  MODEL_NOT_READY: 'MODEL_NOT_READY',
  /** 409 from deleting a model that reports use (`details.reports: [{documentId, name}]`). */
  MODEL_IN_USE: 'MODEL_IN_USE',
  /**
   * 409 from deleting a report that dashboards show or subscriptions deliver (`details.dashboards` or
   * `details.subscriptions`: `[{documentId, name}]`).
   */
  REPORT_IN_USE: 'REPORT_IN_USE',
  /** 409 from deleting a dashboard that subscriptions deliver (`details.subscriptions: [{documentId, name}]`). */
  DASHBOARD_IN_USE: 'DASHBOARD_IN_USE',
  /**
   * 400 from a report whose saved query names a column its model no longer has (`details.report`, `details.column`):
   * the report must be edited.
   */
  REPORT_COLUMN_MISSING: 'REPORT_COLUMN_MISSING',
  /** 409 from a trigger: a run of that kind is already queued or running for the target (`details.runId`). */
  RUN_ACTIVE: 'RUN_ACTIVE',
  /** 409 from a cancel: the run has already finished (`details.runId`). */
  RUN_FINISHED: 'RUN_FINISHED',
  /** 409 from triggering a subscription that is not enabled. */
  SUBSCRIPTION_DISABLED: 'SUBSCRIPTION_DISABLED',
  /**
   * 409 from an embed's data or export route: the token's filters no longer apply to the card (its model lost a
   * column, or a value no longer coerces); the app must mint a new token. No row is shown without them.
   */
  EMBED_FILTERS_STALE: 'EMBED_FILTERS_STALE',
  /** 401 from an embed's data or export route: the embed token has expired. */
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  /** 401 from an embed's data or export route: the embed token is malformed, tampered, unsigned or revoked. */
  TOKEN_INVALID: 'TOKEN_INVALID',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
