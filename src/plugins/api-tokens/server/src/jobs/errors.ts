import { errors } from '@strapi/utils';

/**
 * A 409 in Strapi's error body: `{data: null, error: {status: 409, name: 'ConflictError', message, details}}`.
 * Strapi maps every ApplicationError it does not know to 400, but formats an HttpError with its own status, so this
 * error joins http-errors' HttpError chain (whose constructor is abstract) instead.
 */
export class ConflictError extends Error {
  readonly status = 409;
  readonly statusCode = 409;
  readonly expose = true;

  constructor(
    message: string,
    readonly details: Record<string, unknown> = {}
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}
Object.setPrototypeOf(ConflictError.prototype, errors.HttpError.prototype);

/** A scheduled occurrence that another tick (or instance) already claimed. */
export class OccurrenceTaken extends Error {
  constructor(readonly occurrenceKey: string) {
    super(`Occurrence ${occurrenceKey} is already claimed`);
  }
}

/**
 * This runner no longer holds the run: its lease expired and the run was recovered (and maybe retried elsewhere), so
 * the run row no longer carries its fence. `RunContext.commit()` throws it and writes nothing.
 */
export class LeaseLost extends Error {
  constructor(readonly runId: string) {
    super(`Run ${runId} lost its lease: another attempt may have taken over`);
    this.name = 'LeaseLost';
  }
}

/** The reason a run's signal is aborted when a cancel was requested. */
export class RunCancelRequested extends Error {
  constructor(readonly runId: string) {
    super(`Run ${runId} was cancelled`);
    this.name = 'RunCancelRequested';
  }
}
