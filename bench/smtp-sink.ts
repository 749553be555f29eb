/**
 * A loopback SMTP sink for the `subscriptions` case, forked into its own process so that receiving mail costs the
 * measured process nothing. smtp-server speaks the protocol; the sink parses nothing and only counts the bytes of
 * DATA. At the end of DATA (before its 250 goes out) it stamps the time with process.hrtime (CLOCK_MONOTONIC, one
 * clock for every process on the machine, so the parent can subtract its own stamps from it) and reports the mail over
 * IPC. The 250's text names the byte count, so a delivery's recorded SMTP response shows what arrived.
 */
import { SMTPServer } from 'smtp-server';

export interface SinkReady {
  type: 'ready';
  port: number;
}

export interface SinkMail {
  type: 'mail';
  /** process.hrtime.bigint() at the end of DATA, as a decimal string (IPC carries no BigInt). */
  at: string;
  /** Bytes of DATA as received (after dot-unstuffing). */
  bytes: number;
  /** Envelope recipients, lower-cased. */
  to: string[];
}

const send = (message: SinkReady | SinkMail) => process.send?.(message);

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  closeTimeout: 200,
  onData(stream, session, callback) {
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
      const at = process.hrtime.bigint();
      send({ type: 'mail', at: at.toString(), bytes, to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()) });
      callback(null, `bytes=${bytes}`);
    });
  },
});
server.on('error', () => {}); // a client that goes away mid-session is not the sink's failure

server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.server.address() as { port: number }).port });
});

// The case that forked the sink goes away (or says so): the sink goes too.
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
