import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A message the server accepted: its envelope recipients and its parsed content. */
export interface ReceivedMail {
  from: string;
  /** The user the client authenticated as, if it did. */
  user: string | undefined;
  /** The RCPT TO addresses, lower-cased. */
  recipients: string[];
  parsed: ParsedMail;
  raw: Buffer;
}

export interface SmtpTestServer {
  host: string;
  port: number;
  /** `SMTP_*` for a Strapi boot that mails through this server. */
  env: Record<string, string>;
  /** Accepted messages, oldest first. */
  readonly messages: ReceivedMail[];
  messagesTo(email: string): ReceivedMail[];
  /** Resolves with the messages once there are at least `count`; throws after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Answers `550` at RCPT TO for this address, until reset(). */
  rejectRecipient(email: string): void;
  /** Destroys the connection in the middle of DATA for the next `times` messages. */
  dropMidData(times?: number): void;
  /** Holds every MAIL FROM this long before answering it (0: at once), so a client can die mid-delivery. */
  delayMailFrom(ms: number): void;
  /** MAIL FROM commands received so far (answered or still held). */
  readonly mailFromCount: number;
  /** Forgets the messages and the faults. */
  reset(): void;
  /** Stops listening: the server is down. */
  close(): Promise<void>;
  /** Listens again on the same port. */
  listen(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * A real SMTP server on loopback (no TLS), with faults switchable at runtime. With `auth`, it offers AUTH on the
 * plain connection and accepts only those credentials (a client may still send without AUTH).
 */
export const startSmtpServer = async ({
  auth,
}: { auth?: { user: string; pass: string } } = {}): Promise<SmtpTestServer> => {
  const received: ReceivedMail[] = [];
  const rejected = new Set<string>();
  let drops = 0;
  let mailFromDelay = 0;
  let mailFroms = 0;
  let port = 0;
  let server: SMTPServer | null = null;

  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 200,
    allowInsecureAuth: Boolean(auth),
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.pass) {
        return callback(null, { user: credentials.username });
      }
      return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onMailFrom(_address, _session, callback) {
      mailFroms += 1;
      if (mailFromDelay > 0) setTimeout(() => callback(), mailFromDelay);
      else callback();
    },
    onRcptTo(address, _session, callback) {
      if (!rejected.has(address.address.toLowerCase())) return callback();
      const error = Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), {
        responseCode: 550,
      });
      return callback(error);
    },
    onData(stream, session, callback) {
      if (drops > 0) {
        drops -= 1;
        stream.once('data', () => {
          const connection = [...server!.connections].find((candidate) => candidate.id === session.id);
          connection?._socket.destroy();
        });
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              user: typeof session.user === 'string' ? session.user : undefined,
              recipients: session.envelope.rcptTo.map((to) => to.address.toLowerCase()),
              parsed,
              raw,
            });
            callback();
          },
          (error) => callback(error)
        );
      });
    },
  };

  const listen = async () => {
    const next = new SMTPServer(options);
    // A dropped connection is reported as an error on the server; without a listener it would crash the worker.
    next.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      next.server.once('error', reject);
      next.listen(port, HOST, () => {
        next.server.off('error', reject);
        resolve();
      });
    });
    port = (next.server.address() as { port: number }).port;
    server = next;
  };

  await listen();

  return {
    host: HOST,
    port,
    env: {
      SMTP_HOST: HOST,
      SMTP_PORT: String(port),
      SMTP_SECURE: 'false',
      ...(auth ? { SMTP_USER: auth.user, SMTP_PASS: auth.pass } : {}),
    },
    get messages() {
      return [...received];
    },
    messagesTo: (email) => received.filter((mail) => mail.recipients.includes(email.toLowerCase())),
    async waitForMessages(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} message(s) within ${timeoutMs} ms, got ${received.length}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return [...received];
    },
    rejectRecipient: (email) => {
      rejected.add(email.toLowerCase());
    },
    dropMidData: (times = 1) => {
      drops = times;
    },
    delayMailFrom: (ms) => {
      mailFromDelay = ms;
    },
    get mailFromCount() {
      return mailFroms;
    },
    reset() {
      received.length = 0;
      rejected.clear();
      drops = 0;
      mailFromDelay = 0;
      mailFroms = 0;
    },
    async close() {
      const current = server;
      server = null;
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    async listen() {
      if (!server) await listen();
    },
  };
};
