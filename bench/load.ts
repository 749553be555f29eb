/**
 * The load generator, forked by bench/run.ts so that autocannon does not share an event loop with Strapi.
 * It runs one autocannon round per `run` message and answers with the raw per-response latencies, so the parent
 * can aggregate exact percentiles over all rounds of a target.
 */
import { failedRound } from './load-client';

// autocannon ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const autocannon = require('autocannon');

export interface RoundRequest {
  type: 'run';
  id: number;
  url: string;
  headers: Record<string, string>;
  /** GET when absent. */
  method?: string;
  body?: string;
  connections: number;
  seconds: number;
}

export interface RoundResult {
  id: number;
  /** autocannon's own measure of the round, in seconds. */
  duration: number;
  responses: number;
  ok: number;
  non2xx: number;
  /** Status code → count, for the non-2xx answers. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Milliseconds, one per 2xx response. */
  latencies: number[];
  error?: string;
}

const runRound = async (request: RoundRequest): Promise<RoundResult> => {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let responses = 0;
  let ok = 0;
  const instance = autocannon({
    url: request.url,
    headers: request.headers,
    method: request.method ?? 'GET',
    body: request.body,
    connections: request.connections,
    duration: request.seconds,
    pipelining: 1,
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    responses += 1;
    if (statusCode >= 200 && statusCode < 300) {
      ok += 1;
      latencies.push(responseTime);
    } else {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    }
  });
  const result = await instance;
  return {
    id: request.id,
    duration: result.duration,
    responses,
    ok,
    non2xx: responses - ok,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    latencies,
  };
};

process.on('message', (message: RoundRequest | { type: 'exit' }) => {
  if (message.type === 'exit') {
    process.exit(0);
  }
  runRound(message).then(
    (result) => process.send!(result),
    (error) => process.send!(failedRound(message.id, String(error?.stack ?? error)))
  );
});

// Never outlive bench/run.ts (e.g. when it is killed mid-round).
process.on('disconnect', () => process.exit(0));

process.send!({ type: 'ready' });
