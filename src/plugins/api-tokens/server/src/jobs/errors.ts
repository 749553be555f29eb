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
