/** The parts of a Node (or readable-stream) writable that `drained` listens to. */
interface DrainingStream {
  destroyed?: boolean;
  errored?: Error | null;
  on(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
}

/** Resolves when `stream` has drained; rejects when it is destroyed (its reader failed) instead. */
export const drained = (stream: DrainingStream) =>
  new Promise<void>((resolve, reject) => {
    const settle = () => {
      for (const event of ['drain', 'close', 'error']) stream.removeListener(event, settle);
      if (stream.destroyed) reject(stream.errored ?? new Error('The stream was closed before it drained'));
      else resolve();
    };
    if (stream.destroyed) settle();
    else for (const event of ['drain', 'close', 'error']) stream.on(event, settle);
  });
