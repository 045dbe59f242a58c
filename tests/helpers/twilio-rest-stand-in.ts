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

/** A message the stand-in accepted, as Twilio keeps it (the list endpoint reads these). */
export interface StoredMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  createdAtMs: number;
}

/**
 * Requests held without an answer, to kill a sender while they are in flight: `created` says
 * whether Twilio took the message before the answer was lost.
 */
export interface HoldRule {
  /** Hold every create request from this one on (1-based over `requests`). */
  fromRequest: number;
  created: boolean;
}

const MESSAGES = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

/** Twilio's date format in resources: RFC 2822 with a numeric zone, `Thu, 03 Dec 2026 15:08:59 +0000`. */
export const rfc2822 = (ms: number): string => new Date(ms).toUTCString().replace('GMT', '+0000');

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

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
 *
 * `GET` on the same resource lists the accepted messages as Twilio does: newest first, filtered
 * by `To`, `From` and `DateSent` / `DateSent<` / `DateSent>` (a GMT date `YYYY-MM-DD`, or a
 * `YYYY-MM-DDTHH:MM:SSZ` instant as the twilio library writes a Date; only messages that have a
 * `date_sent` match), paged with `PageSize` (default 50, at most 1000), `Page` and `PageToken`
 * (`next_page_uri` carries both), under the key `messages`. A message is `queued` (`accepted`
 * when sent through a Messaging Service) with `date_sent` null until `sentAfterMs` has passed,
 * then `sent`.
 */
export class TwilioRestStandIn {
  readonly requests: ReceivedMessageRequest[] = [];
  /** Accepted messages, oldest first. */
  readonly messages: StoredMessage[] = [];
  /** List requests (GET), as query strings. */
  readonly listRequests: URLSearchParams[] = [];
  /** How long an accepted message stays queued (no date_sent) before it is sent. */
  sentAfterMs = 0;
  /** Hold create requests without answering (see HoldRule); null: answer all. */
  hold: HoldRule | null = null;
  /** Create requests being held now. */
  held = 0;
  private readonly holdWaiters: Array<{ n: number; resolve(): void }> = [];
  private readonly script: StandInReply[] = [];
  private readonly listScript: Array<Extract<StandInReply, { kind: 'error' }>> = [];
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

  /** The next list requests fail with these errors, in order. */
  listFailsNext(...replies: StandInReply[]): void {
    for (const r of replies) if (r.kind === 'error') this.listScript.push(r);
  }

  /** Resolves once at least `n` create requests are held. */
  heldAtLeast(n: number): Promise<void> {
    if (this.held >= n) return Promise.resolve();
    return new Promise((resolve) => this.holdWaiters.push({ n, resolve }));
  }

  /** Stops holding; requests held so far stay unanswered (their client is gone). */
  stopHolding(): void {
    this.hold = null;
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
    const url = new URL(req.url ?? '/', 'http://x');
    const m = MESSAGES.exec(url.pathname);
    if ((req.method !== 'POST' && req.method !== 'GET') || !m) return this.json(res, 404, { code: 20404, message: 'The requested resource was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 });
    const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    if (req.method === 'GET') {
      this.listRequests.push(url.searchParams);
      if (user !== m[1]) return this.json(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      const failure = this.listScript.shift();
      if (failure) return this.json(res, failure.httpStatus, { code: failure.code, message: failure.message ?? ERROR_MESSAGES[failure.code] ?? 'Error', more_info: `https://www.twilio.com/docs/errors/${failure.code}`, status: failure.httpStatus });
      return this.list(res, m[1]!, url.searchParams);
    }
    const form = Object.fromEntries(new URLSearchParams(raw));
    const record: ReceivedMessageRequest = { accountSid: m[1]!, auth: { user: user ?? '', password: password ?? '' }, contentType: req.headers['content-type'] ?? '', form };
    this.requests.push(record);
    if (user !== m[1]) return this.json(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    const hold = this.hold !== null && this.requests.length >= this.hold.fromRequest ? this.hold : null;
    const reply = hold ? accept() : (this.byNumber.get(form['To'] ?? '') ?? this.script.shift() ?? this.defaultReply);
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
    if (hold && !hold.created) return this.holdOpen(res);
    const stored: StoredMessage = {
      sid: 'SM' + randomBytes(16).toString('hex'),
      accountSid: m[1]!,
      to: form['To'] ?? '',
      from: form['From'] ?? null,
      messagingServiceSid: form['MessagingServiceSid'] ?? null,
      body: form['Body'] ?? '',
      createdAtMs: Date.now(),
    };
    this.messages.push(stored);
    record.sid = stored.sid;
    if (hold) return this.holdOpen(res);
    this.json(res, 201, this.resourceOf(stored, reply.status));
  }

  private holdOpen(res: ServerResponse): void {
    this.hanging.add(res);
    this.held++;
    for (const w of this.holdWaiters.splice(0)) {
      if (this.held >= w.n) w.resolve();
      else this.holdWaiters.push(w);
    }
  }

  /** The message resource as Twilio returns it; the status follows the time unless the script forces one. */
  private resourceOf(msg: StoredMessage, status?: string): Record<string, unknown> {
    const sentAt = msg.createdAtMs + this.sentAfterMs;
    const isSent = Date.now() >= sentAt;
    const created = rfc2822(msg.createdAtMs);
    return {
      account_sid: msg.accountSid,
      api_version: '2010-04-01',
      body: msg.body,
      date_created: created,
      date_sent: status === undefined && isSent ? rfc2822(sentAt) : null,
      date_updated: status === undefined && isSent ? rfc2822(sentAt) : created,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: msg.from,
      messaging_service_sid: msg.messagingServiceSid,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid: msg.sid,
      status: status ?? (isSent ? 'sent' : msg.messagingServiceSid ? 'accepted' : 'queued'),
      subresource_uris: { media: `/2010-04-01/Accounts/${msg.accountSid}/Messages/${msg.sid}/Media.json` },
      to: msg.to,
      uri: `/2010-04-01/Accounts/${msg.accountSid}/Messages/${msg.sid}.json`,
    };
  }

  /** `GET …/Messages.json`: Twilio's list, newest first, filtered and paged as Twilio does. */
  private list(res: ServerResponse, accountSid: string, q: URLSearchParams): void {
    const bad = (param: string, value: string) =>
      this.json(res, 400, { code: 20001, message: `Invalid ${param}: ${value}`, more_info: 'https://www.twilio.com/docs/errors/20001', status: 400 });
    const sentFilters: Array<(sentMs: number) => boolean> = [];
    for (const [param, cmp] of [
      ['DateSent', 'on'],
      ['DateSent<', 'before'],
      ['DateSent>', 'after'],
    ] as const) {
      const v = q.get(param);
      if (v === null) continue;
      let from: number;
      let to: number;
      if (DATE_ONLY.test(v)) {
        from = Date.parse(`${v}T00:00:00Z`);
        to = from + 86_400_000;
      } else if (DATE_TIME.test(v)) {
        from = Date.parse(v);
        to = from + 1000;
      } else return bad(param, v);
      if (!Number.isFinite(from)) return bad(param, v);
      // Inclusive, as Twilio's DateSent<= / DateSent>= behave for a whole day.
      sentFilters.push(cmp === 'on' ? (t) => t >= from && t < to : cmp === 'before' ? (t) => t < to : (t) => t >= from);
    }
    const pageSizeRaw = q.get('PageSize') ?? '50';
    const pageSize = Number(pageSizeRaw);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) return bad('PageSize', pageSizeRaw);
    const pageRaw = q.get('Page') ?? '0';
    const page = Number(pageRaw);
    if (!Number.isInteger(page) || page < 0) return bad('Page', pageRaw);
    const to = q.get('To');
    const from = q.get('From');
    const now = Date.now();
    const matching = this.messages
      .filter((msg) => msg.accountSid === accountSid && (to === null || msg.to === to) && (from === null || msg.from === from))
      .filter((msg) => {
        if (sentFilters.length === 0) return true;
        const sentAt = msg.createdAtMs + this.sentAfterMs;
        return now >= sentAt && sentFilters.every((f) => f(sentAt));
      })
      .reverse();
    // PageToken names the last message of the previous page (PA + its SID); without one, Page counts pages.
    const token = q.get('PageToken');
    let start = page * pageSize;
    if (token !== null) {
      const i = matching.findIndex((msg) => `PA${msg.sid}` === token);
      if (i < 0) return bad('PageToken', token);
      start = i + 1;
    }
    const slice = matching.slice(start, start + pageSize);
    const base = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
    const query = (extra: Record<string, string>) => {
      const p = new URLSearchParams();
      for (const k of ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>']) if (q.get(k) !== null) p.set(k, q.get(k)!);
      p.set('PageSize', String(pageSize));
      for (const [k, v] of Object.entries(extra)) p.set(k, v);
      return `${base}?${p.toString()}`;
    };
    const more = start + pageSize < matching.length;
    this.json(res, 200, {
      end: start + slice.length - 1,
      first_page_uri: query({ Page: '0' }),
      messages: slice.map((msg) => this.resourceOf(msg)),
      next_page_uri: more ? query({ Page: String(page + 1), PageToken: `PA${slice.at(-1)!.sid}` }) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? query({ Page: String(page - 1) }) : null,
      start,
      uri: query(token !== null ? { Page: String(page), PageToken: token } : { Page: String(page) }),
    });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}
