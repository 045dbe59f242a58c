import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

/** One request the stand-in received, as Twilio would see it. */
export interface ReceivedMessageRequest {
  accountSid: string;
  /** Basic-auth user and password (account SID and auth token). */
  auth: { user: string; password: string };
  contentType: string;
  /** The form fields, exactly as posted (To, From / MessagingServiceSid, Body, StatusCallback). */
  form: Record<string, string>;
  /** The Message SID answered, when the request was accepted. */
  sid?: string;
}

/** How the stand-in answers one request. */
export type StandInReply =
  | { kind: 'accept'; status?: string }
  | { kind: 'error'; httpStatus: number; code: number; message?: string }
  /** Never answers (until the stand-in closes): the client's timeout fires. */
  | { kind: 'hang' };

export const accept = (status = 'queued'): StandInReply => ({ kind: 'accept', status });
export const twilioError = (httpStatus: number, code: number, message?: string): StandInReply => ({ kind: 'error', httpStatus, code, ...(message ? { message } : {}) });
export const hang = (): StandInReply => ({ kind: 'hang' });

const MESSAGES = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

const ERROR_MESSAGES: Record<number, string> = {
  21610: 'Attempt to send to unsubscribed recipient',
  21211: "The 'To' number is not a valid phone number.",
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
};

/**
 * A local server that answers Twilio's Messages API in its wire format: `POST
 * /2010-04-01/Accounts/{Sid}/Messages.json` with a form-encoded body, a 201 with the message
 * resource as JSON, or an error body `{code, message, more_info, status}`. Replies follow the
 * script (`replyNext`), else `defaultReply`; every request is recorded.
 */
export class TwilioRestStandIn {
  readonly requests: ReceivedMessageRequest[] = [];
  private readonly script: StandInReply[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | null = null;
  defaultReply: StandInReply = accept();
  /** Answers by number; wins over the script for the numbers it knows. */
  byNumber = new Map<string, StandInReply>();
  baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next requests get these replies, in order. */
  replyNext(...replies: StandInReply[]): void {
    this.script.push(...replies);
  }

  /** Requests that were accepted (messages Twilio would have sent). */
  get accepted(): ReceivedMessageRequest[] {
    return this.requests.filter((r) => r.sid !== undefined);
  }

  async close(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const m = MESSAGES.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'POST' || !m) return this.json(res, 404, { code: 20404, message: 'The requested resource was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 });
    const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    const form = Object.fromEntries(new URLSearchParams(raw));
    const record: ReceivedMessageRequest = { accountSid: m[1]!, auth: { user: user ?? '', password: password ?? '' }, contentType: req.headers['content-type'] ?? '', form };
    this.requests.push(record);
    if (user !== m[1]) return this.json(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    const reply = this.byNumber.get(form['To'] ?? '') ?? this.script.shift() ?? this.defaultReply;
    if (reply.kind === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (reply.kind === 'error') {
      return this.json(res, reply.httpStatus, {
        code: reply.code,
        message: reply.message ?? ERROR_MESSAGES[reply.code] ?? 'Error',
        more_info: `https://www.twilio.com/docs/errors/${reply.code}`,
        status: reply.httpStatus,
      });
    }
    const sid = 'SM' + randomBytes(16).toString('hex');
    record.sid = sid;
    const now = new Date().toUTCString().replace('GMT', '+0000');
    this.json(res, 201, {
      account_sid: m[1],
      api_version: '2010-04-01',
      body: form['Body'] ?? '',
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: form['From'] ?? null,
      messaging_service_sid: form['MessagingServiceSid'] ?? null,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid,
      status: reply.status ?? 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${m[1]}/Messages/${sid}/Media.json` },
      to: form['To'] ?? '',
      uri: `/2010-04-01/Accounts/${m[1]}/Messages/${sid}.json`,
    });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}
