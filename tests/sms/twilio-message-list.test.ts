import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioClient } from '../../src/infra/twilio/twilio-client.js';
import { TwilioSmsSender } from '../../src/infra/sms/twilio-sms-sender.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../helpers/twilio.js';
import { TwilioRestStandIn } from '../helpers/twilio-rest-stand-in.js';

let twilioApi: TwilioRestStandIn;
beforeAll(async () => (twilioApi = await new TwilioRestStandIn().start()));
afterAll(() => twilioApi.close());
beforeEach(() => {
  twilioApi.requests.length = 0;
  twilioApi.messages.length = 0;
  twilioApi.listRequests.length = 0;
  twilioApi.sentAfterMs = 0;
});

const FROM = '+8610086';
const A = '+8613800000001';
const B = '+8613800000002';
const client = () => createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, apiBaseUrl: twilioApi.baseUrl });
const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const gmtDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function raw(query: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${twilioApi.baseUrl}/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json?${query}`, {
    headers: { Authorization: `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("the stand-in lists messages as Twilio's Messages API does, read through the real twilio client", () => {
  it('newest first, filtered by To and From; queued without a date sent until sent; dates in RFC 2822', async () => {
    const c = client();
    const first = await c.messages.create({ to: A, from: FROM, body: 'one' });
    await c.messages.create({ to: B, from: FROM, body: 'other number' });
    await c.messages.create({ to: A, from: '+8610010', body: 'other sender' });
    const last = await c.messages.create({ to: A, from: FROM, body: 'two' });
    twilioApi.sentAfterMs = 60_000;
    const queued = await c.messages.list({ to: A, from: FROM });
    expect(queued.map((m) => [m.sid, m.body, m.status, m.dateSent])).toEqual([
      [last.sid, 'two', 'queued', null],
      [first.sid, 'one', 'queued', null],
    ]);
    expect(queued[0]!.dateCreated).toBeInstanceOf(Date);
    expect(Math.abs(queued[0]!.dateCreated.getTime() - Date.now())).toBeLessThan(5000);
    twilioApi.sentAfterMs = 0;
    const sent = await c.messages.list({ to: A });
    expect(sent.map((m) => [m.body, m.status])).toEqual([
      ['two', 'sent'],
      ['other sender', 'sent'],
      ['one', 'sent'],
    ]);
    expect(sent[0]!.dateSent).toBeInstanceOf(Date);
    expect(twilioApi.listRequests.map((q) => Object.fromEntries(q))).toEqual([{ To: A, From: FROM }, { To: A }]);
    const { body } = await raw(`To=${encodeURIComponent(A)}`);
    const m = (body['messages'] as Array<Record<string, unknown>>)[0]!;
    expect(m['date_created']).toMatch(RFC_2822);
    expect(m['date_sent']).toMatch(RFC_2822);
  });

  it('DateSent takes a GMT date (or the instant the library writes) and matches only messages that have been sent', async () => {
    const c = client();
    await c.messages.create({ to: A, from: FROM, body: 'hello' });
    const today = gmtDate(Date.now());
    const yesterday = gmtDate(Date.now() - 86_400_000);
    const tomorrow = gmtDate(Date.now() + 86_400_000);
    twilioApi.sentAfterMs = 60_000;
    expect((await raw(`To=${encodeURIComponent(A)}&DateSent=${today}`)).body['messages']).toEqual([]);
    twilioApi.sentAfterMs = 0;
    expect((await raw(`To=${encodeURIComponent(A)}&DateSent=${today}`)).body['messages']).toHaveLength(1);
    expect((await raw(`DateSent=${yesterday}`)).body['messages']).toEqual([]);
    expect((await raw(`DateSent%3E=${yesterday}`)).body['messages']).toHaveLength(1);
    expect((await raw(`DateSent%3C=${yesterday}`)).body['messages']).toEqual([]);
    expect((await raw(`DateSent%3C=${tomorrow}`)).body['messages']).toHaveLength(1);
    // The library turns a Date into YYYY-MM-DDTHH:MM:SSZ.
    expect(await c.messages.list({ dateSentAfter: new Date(Date.now() - 3_600_000) })).toHaveLength(1);
    expect(twilioApi.listRequests.at(-1)!.get('DateSent>')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(await raw('DateSent=03/12/2026')).toMatchObject({ status: 400, body: { code: 20001 } });
  });

  it('pages with PageSize, Page and PageToken; next_page_uri leads to the next page and the library follows it', async () => {
    const c = client();
    for (let i = 0; i < 120; i++) await c.messages.create({ to: A, from: FROM, body: `text ${i}` });
    const { body } = await raw(`To=${encodeURIComponent(A)}&PageSize=50`);
    expect(Object.keys(body).sort()).toEqual(['end', 'first_page_uri', 'messages', 'next_page_uri', 'page', 'page_size', 'previous_page_uri', 'start', 'uri']);
    expect(body).toMatchObject({ page: 0, page_size: 50, start: 0, end: 49, previous_page_uri: null });
    expect(body['next_page_uri']).toMatch(/^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json\?To=%2B8613800000001&PageSize=50&Page=1&PageToken=PASM[0-9a-f]{32}$/);
    const p1 = await c.messages.page({ to: A, pageSize: 50 });
    expect(p1.instances.map((m) => m.body).slice(0, 2)).toEqual(['text 119', 'text 118']);
    const p2 = (await p1.nextPage())!;
    expect(p2.instances.map((m) => m.body)[0]).toBe('text 69');
    const p3 = (await p2.nextPage())!;
    expect(p3.instances).toHaveLength(20);
    expect(p3.instances.at(-1)!.body).toBe('text 0');
    expect(p3.nextPageUrl).toBeUndefined();
    expect(await c.messages.list({ to: A, pageSize: 50 })).toHaveLength(120);
    expect((await raw(`To=${encodeURIComponent(A)}&PageSize=50&Page=2`)).body['messages']).toHaveLength(20);
    expect((await raw('PageSize=1001')).status).toBe(400);
  });
});

describe('finding a message whose answer was lost', () => {
  it('keeps ours to the number with the same text created since the claim, queued ones included, oldest first', async () => {
    const c = client();
    const sender = new TwilioSmsSender(c, { from: FROM });
    await c.messages.create({ to: A, from: FROM, body: 'balance 12.45' });
    const since = Date.now() - 60_000;
    twilioApi.messages[0]!.createdAtMs = since - 5000; // before the claim: not ours
    const a = await c.messages.create({ to: A, from: FROM, body: 'balance 12.45' });
    await c.messages.create({ to: A, from: FROM, body: 'another text' });
    await c.messages.create({ to: A, from: '+8610010', body: 'balance 12.45' });
    await c.messages.create({ to: B, from: FROM, body: 'balance 12.45' });
    const b = await c.messages.create({ to: A, from: FROM, body: 'balance 12.45' });
    twilioApi.sentAfterMs = 60_000;
    const found = await sender.findSent({ to: A, body: 'balance 12.45', createdSinceMs: since });
    expect(found.map((m) => [m.sid, m.status])).toEqual([
      [a.sid, 'queued'],
      [b.sid, 'queued'],
    ]);
  });

  it('pages back until the messages are older than the claim, and no further', async () => {
    const c = client();
    const sender = new TwilioSmsSender(c, { from: FROM });
    for (let i = 0; i < 80; i++) await c.messages.create({ to: A, from: FROM, body: `old ${i}` });
    for (const m of twilioApi.messages) m.createdAtMs -= 3_600_000;
    const ours = await c.messages.create({ to: A, from: FROM, body: 'ours' });
    for (let i = 0; i < 60; i++) await c.messages.create({ to: A, from: FROM, body: `later ${i}` });
    twilioApi.listRequests.length = 0;
    const found = await sender.findSent({ to: A, body: 'ours', createdSinceMs: Date.now() - 60_000 });
    expect(found.map((m) => m.sid)).toEqual([ours.sid]);
    // 141 messages, 50 a page: the second page reaches the old ones, so the third is never read.
    expect(twilioApi.listRequests.map((q) => q.get('Page'))).toEqual([null, '1']);
  });

  it('through a Messaging Service: listed by To only, kept when the service is ours', async () => {
    const service = 'MG' + 'c3'.repeat(16);
    const c = client();
    const mine = await c.messages.create({ to: A, messagingServiceSid: service, body: 'hi' });
    await c.messages.create({ to: A, messagingServiceSid: 'MG' + 'd4'.repeat(16), body: 'hi' });
    const found = await new TwilioSmsSender(c, { messagingServiceSid: service }).findSent({ to: A, body: 'hi', createdSinceMs: Date.now() - 60_000 });
    expect(found.map((m) => m.sid)).toEqual([mine.sid]);
    expect(Object.fromEntries(twilioApi.listRequests.at(-1)!)).toEqual({ To: A, PageSize: '50' });
  });
});
