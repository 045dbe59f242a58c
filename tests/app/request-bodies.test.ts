import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSid, twilioPost } from '../helpers/twilio.js';
import { startService, type Harness } from './harness.js';

const CALLER = '+8613800000400';
const FORM = 'application/x-www-form-urlencoded';

/** A raw POST: the body and its Content-Type exactly as given. */
function post(server: Parameters<typeof request>[0], path: string, type: string | null, body: string, headers: Record<string, string> = {}) {
  let req = request(server).post(path);
  if (type !== null) req = req.set('Content-Type', type);
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  return req.send(body);
}

/** A gzip-compressed form POST over a real socket (supertest would encode a binary body as a form). */
async function postGzipped(server: Harness['server'], path: string, form: string): Promise<{ status: number; body: any }> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'Content-Type': FORM, 'Content-Encoding': 'gzip' }, body: gzipSync(form) });
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}

describe('a signed webhook, read as Twilio sends it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('bodies-signed');
  });
  afterAll(() => h.close());

  it('is accepted with empty values and parameters it does not read given twice: the signature covers them as posted', async () => {
    await twilioPost(h.server, '/voice/incoming', { CallSid: callSid(1), From: CALLER, CallerName: '', ForwardedFrom: ['', '+8610086'] }).expect(200);
  });
});

describe('request bodies, read as the service always has', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('bodies', { TWILIO_SIGNATURE_VALIDATION: 'off' });
  });
  afterAll(() => h.close());

  const started = async (n: number) => {
    await post(h.server, '/voice/incoming', FORM, `CallSid=${callSid(n)}&From=${encodeURIComponent(CALLER)}`).expect(200);
    return callSid(n);
  };

  it('refuses a structured parameter (Digits[a]=1, Digits[]=1) instead of hearing no input', async () => {
    const sid = await started(10);
    const nested = await post(h.server, '/voice/gather?step=1', FORM, `CallSid=${sid}&Digits[a]=1`).expect(400);
    expect(nested.body).toEqual({ error: 'WEBHOOK_PARAM_INVALID', message: '/voice/gather: Digits is not a single value' });
    const listed = await post(h.server, '/voice/gather?step=1', FORM, `CallSid=${sid}&Digits[]=1`).expect(400);
    expect(listed.body.message).toBe('/voice/gather: Digits is given 1 times; Twilio sends it once');
    expect(await h.redis.hget(`${h.prefix}call:${sid}`, 'v')).toBe('1');
  });

  it('reads a form in ISO-8859-1 or compressed, and refuses other charsets (415)', async () => {
    const sid = await started(11);
    await post(h.server, '/voice/gather?step=1', `${FORM}; charset=ISO-8859-1`, `CallSid=${sid}&Digits=1`).expect(200);
    expect((await postGzipped(h.server, '/voice/gather?step=2', `CallSid=${sid}&Digits=0`)).status).toBe(200);
    expect(await h.redis.hget(`${h.prefix}call:${sid}`, 'v')).toBe('3');
    const koi8 = await post(h.server, '/voice/gather?step=3', `${FORM}; charset=koi8-r`, `CallSid=${sid}&Digits=1`).expect(415);
    expect(koi8.body).toEqual({ error: 'HTTP_415', message: 'unsupported charset "KOI8-R"' });
    const zip = await post(h.server, '/voice/gather?step=3', FORM, `CallSid=${sid}&Digits=1`, { 'Content-Encoding': 'zip' }).expect(415);
    expect(zip.body.message).toBe('unsupported content encoding "zip"');
  });

  it('leaves a body of another type unread: the webhook says what is missing', async () => {
    const res = await post(h.server, '/voice/gather?step=1', 'application/octet-stream', `CallSid=${callSid(12)}&Digits=1`).expect(400);
    expect(res.body.error).toBe('CALL_SID_MISSING');
  });

  it('refuses a body over 100 KiB (413), more than 1000 parameters (413) or nesting deeper than 32 (400)', async () => {
    const sid = callSid(13);
    const big = await post(h.server, '/voice/gather?step=1', FORM, `CallSid=${sid}&X=${'a'.repeat(100 * 1024)}`).expect(413);
    expect(big.body.error).toBe('HTTP_413');
    // Small on the wire, over the limit once inflated.
    expect(await postGzipped(h.server, '/voice/gather?step=1', `CallSid=${sid}&X=${'a'.repeat(100 * 1024)}`)).toEqual({
      status: 413,
      body: { error: 'HTTP_413', message: 'request entity too large' },
    });
    const many = await post(h.server, '/voice/gather?step=1', FORM, `CallSid=${sid}${'&a=1'.repeat(1000)}`).expect(413);
    expect(many.body).toEqual({ error: 'HTTP_413', message: 'too many parameters' });
    const deep = await post(h.server, '/voice/gather?step=1', FORM, `CallSid=${sid}&a${'[b]'.repeat(33)}=1`).expect(400);
    expect(deep.body).toEqual({ error: 'HTTP_400', message: 'The input exceeded the depth' });
  });

  it('reads JSON objects and arrays only, an empty JSON body as {}, and application/problem+json not at all', async () => {
    const scalar = await post(h.internal, '/designer/try', 'application/json', '"abc"').expect(400);
    expect(scalar.body).toEqual({ error: 'HTTP_400', message: `Unexpected token '"', ""abc"" is not valid JSON` });
    const broken = await post(h.internal, '/designer/try', 'application/json', '{"caller":').expect(400);
    expect(broken.body.error).toBe('HTTP_400');
    const empty = await post(h.internal, '/designer/try', 'application/json', '').expect(400);
    expect(empty.body.error).toBe('DESIGNER_REQUEST_INVALID');
    expect(empty.body.message).toContain('give either caller');
    const problem = await post(h.internal, '/designer/try', 'application/problem+json', `{"caller":"${CALLER}"}`).expect(400);
    expect(problem.body.message).toContain('expected a JSON object');
    const proto = await post(h.internal, '/designer/try', 'application/json', `{"caller":"${CALLER}","__proto__":{"keys":["1"]}}`).expect(400);
    expect(proto.body.message).toContain('unknown property "__proto__"');
    await post(h.internal, '/designer/try', 'application/json', JSON.stringify({ caller: CALLER, keys: [], pad: 'x'.repeat(90 * 1024) })).expect(400);
    const big = await post(h.internal, '/designer/try', 'application/json', JSON.stringify({ caller: CALLER, pad: 'x'.repeat(100 * 1024) })).expect(413);
    expect(big.body.error).toBe('HTTP_413');
  });

  it('serves a path whatever its case and with a trailing slash', async () => {
    for (const path of ['/designer/', '/Designer', '/DESIGNER/customers']) {
      const res = await request(h.internal).get(path);
      expect([path, res.status]).toEqual([path, 200]);
    }
    await post(h.server, '/voice/incoming/', FORM, `CallSid=${callSid(14)}&From=${encodeURIComponent(CALLER)}`).expect(200);
  });
});
