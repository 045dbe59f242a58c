import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppEnvError, loadAppEnv } from '../../src/app/config/app-env.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';
import { startService, type Harness } from './harness.js';

/**
 * What Twilio and a load balancer need, and all the public listener may serve. Everything else
 * the router knows is an internal route: the list below is not where internal routes come from.
 */
const PUBLIC_ROUTES = [/^\/voice\/[a-z-]+$/, /^\/sms\/inbound$/, /^\/sms\/status$/, /^\/health$/];
const isPublic = (path: string) => PUBLIC_ROUTES.some((re) => re.test(path));

interface Route {
  method: string;
  /** As registered, e.g. /designer/flows/:id/diagram.svg */
  pattern: string;
  /** A concrete path for it (each :param filled in). */
  path: string;
}

/**
 * Every route the application's router serves, read from the router itself: Fastify's tree of
 * routes (`printRoutes`), one node a line, each indented by four characters under its parent and
 * naming the rest of its path and its methods. HEAD, which Fastify adds beside each GET, is left
 * out: it answers as the GET does, without a body.
 */
function routesOf(h: Harness): Route[] {
  const fastify = h.app.getHttpAdapter().getInstance() as unknown as { printRoutes(opts: { commonPrefix: boolean }): string };
  const routes: Route[] = [];
  const prefixes: string[] = [];
  for (const line of fastify.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!node) {
      if (line.trim() !== '') throw new Error(`a line of the route tree this test cannot read: ${JSON.stringify(line)}`);
      continue;
    }
    const depth = node[1]!.length / 4;
    const pattern = (prefixes[depth - 1] ?? '') + node[2]!;
    prefixes[depth] = pattern;
    if (/[*{}()?]/.test(pattern)) throw new Error(`route ${pattern}: this test cannot fill in its path yet; teach it`);
    for (const method of (node[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) {
      routes.push({ method, pattern, path: pattern.replace(/:(\w+)/g, 'x') });
    }
  }
  return routes;
}

interface Probe {
  status: number;
  headers: IncomingHttpHeaders;
  /** The JSON body, if any; null for an event stream (left as soon as it starts). */
  body: any;
}

/** One request over a real socket; an event stream is closed as soon as its headers arrive. */
function probe(origin: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, { method, headers }, (res) => {
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        resolve({ status: res.statusCode!, headers: res.headers, body: null });
        res.destroy();
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let body: any = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON: keep the text */
        }
        resolve({ status: res.statusCode!, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The router's answer to a path it does not have. */
const notFound = (method: string, path: string) => ({ error: 'HTTP_404', message: `Cannot ${method} ${path}` });

async function listenBoth(h: Harness): Promise<{ pub: string; internal: string }> {
  await h.app.listen(0, '127.0.0.1');
  const { port } = h.server.address() as { port: number };
  return { pub: `http://127.0.0.1:${port}`, internal: await h.listenInternal() };
}

describe('the public and the internal listener', () => {
  let h: Harness;
  let pub: string;
  let internal: string;
  let routes: Route[];
  let internalRoutes: Route[];

  beforeAll(async () => {
    h = await startService('listeners');
    ({ pub, internal } = await listenBoth(h));
    routes = routesOf(h);
    internalRoutes = routes.filter((r) => !isPublic(r.pattern));
  });
  afterAll(() => h.close());

  it('reads the routes from the router: the pages, their APIs, the event streams and /sms/stats are among the internal ones', () => {
    const names = internalRoutes.map((r) => `${r.method} ${r.pattern}`);
    for (const expected of ['GET /designer', 'GET /designer/customers', 'POST /designer/try', 'GET /agent', 'GET /agents/:agentId/events', 'GET /queues/:queue/events', 'GET /sms/stats']) {
      expect(names).toContain(expected);
    }
    expect(routes.filter((r) => isPublic(r.pattern)).map((r) => `${r.method} ${r.pattern}`)).toEqual(
      expect.arrayContaining(['POST /voice/incoming', 'POST /voice/gather', 'POST /sms/inbound', 'POST /sms/status', 'GET /health']),
    );
  });

  it('answers every internal route on the public listener with 404, exactly as a path that does not exist', async () => {
    expect(await probe(pub, 'GET', '/no-such-page')).toMatchObject({ status: 404, body: notFound('GET', '/no-such-page') });
    for (const r of internalRoutes) {
      const res = await probe(pub, r.method, r.path);
      expect({ route: `${r.method} ${r.pattern}`, status: res.status, body: res.body }).toEqual({ route: `${r.method} ${r.pattern}`, status: 404, body: notFound(r.method, r.path) });
    }
    // The customer list in particular: nothing of it on the public port.
    const customers = await probe(pub, 'GET', '/designer/customers');
    expect(JSON.stringify(customers.body)).not.toContain('+86138');
  });

  it('serves every internal route on the internal listener', async () => {
    for (const r of internalRoutes) {
      const res = await probe(internal, r.method, r.path);
      expect({ route: `${r.method} ${r.pattern}`, routerNotFound: res.status === 404 && res.body?.error === 'HTTP_404' }).toEqual({
        route: `${r.method} ${r.pattern}`,
        routerNotFound: false,
      });
      expect(res.status, `${r.method} ${r.pattern}`).toBeLessThan(500);
    }
    const customers = await probe(internal, 'GET', '/designer/customers');
    expect(customers.status).toBe(200);
    expect(customers.body.customers.length).toBeGreaterThan(100);
  });

  it("serves Twilio's webhooks on the public listener only, and /health on both", async () => {
    for (const r of routes.filter((x) => isPublic(x.pattern) && x.pattern !== '/health')) {
      const onPublic = await probe(pub, r.method, r.path);
      // Reached the webhook: refused for want of a signature, not for want of a route.
      expect([r.pattern, onPublic.status, onPublic.body.error]).toEqual([r.pattern, 400, 'TWILIO_SIGNATURE_MISSING']);
      const onInternal = await probe(internal, r.method, r.path);
      expect([r.pattern, onInternal.status, onInternal.body]).toEqual([r.pattern, 404, notFound(r.method, r.path)]);
    }
    expect((await probe(pub, 'GET', '/health')).status).toBe(200);
    expect((await probe(internal, 'GET', '/health')).status).toBe(200);
  });

  it('binds the internal listener to 127.0.0.1 by default', async () => {
    expect(h.env.internal.host).toBe('127.0.0.1');
    expect(h.internal.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(internal).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('INTERNAL_TOKEN', () => {
  const TOKEN = 'f00dfacecafe0123456789abcdef4567';
  let h: Harness;
  let pub: string;
  let internal: string;
  let internalRoutes: Route[];

  beforeAll(async () => {
    h = await startService('internal-token', { INTERNAL_TOKEN: TOKEN });
    ({ pub, internal } = await listenBoth(h));
    internalRoutes = routesOf(h).filter((r) => !isPublic(r.pattern));
  });
  afterAll(() => h.close());

  it('refuses every internal route without the token (401, a short message, WWW-Authenticate)', async () => {
    for (const r of internalRoutes) {
      const res = await probe(internal, r.method, r.path);
      expect([r.pattern, res.status, res.body.error]).toEqual([r.pattern, 401, 'INTERNAL_TOKEN_MISSING']);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="ivr-sim internal"');
      expect(res.body.message).toBe('this page needs the internal token: open it once with ?token=…, or send Authorization: Bearer …');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('lets an API client in with Authorization: Bearer, and refuses a wrong one', async () => {
    for (const r of internalRoutes) {
      const res = await probe(internal, r.method, r.path, { Authorization: `Bearer ${TOKEN}` });
      expect([r.pattern, res.status === 401 || (res.status === 404 && res.body?.error === 'HTTP_404')]).toEqual([r.pattern, false]);
    }
    const customers = await probe(internal, 'GET', '/designer/customers', { Authorization: `Bearer ${TOKEN}` });
    expect(customers.status).toBe(200);
    const wrong = await probe(internal, 'GET', '/designer/customers', { Authorization: `Bearer ${TOKEN.slice(0, -1)}0` });
    expect([wrong.status, wrong.body.error]).toEqual([401, 'INTERNAL_TOKEN_INVALID']);
    const short = await probe(internal, 'GET', '/sms/stats', { Authorization: 'Bearer f00d' });
    expect([short.status, short.body.error]).toEqual([401, 'INTERNAL_TOKEN_INVALID']);
  });

  it('sets an HttpOnly, SameSite=Strict cookie when a page is opened once with ?token=, which then lets the page and its event stream in', async () => {
    const page = await probe(internal, 'GET', `/designer?token=${TOKEN}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const setCookie = page.headers['set-cookie']!;
    expect(setCookie).toEqual([`ivr_sim_internal=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`]);
    const cookie = setCookie[0]!.split(';')[0]!;
    const customers = await probe(internal, 'GET', '/designer/customers', { Cookie: `theme=dark; ${cookie}` });
    expect(customers.status).toBe(200);
    expect(customers.headers['set-cookie']).toBeUndefined();
    const stream = await probe(internal, 'GET', '/queues/vip-diamond/events', { Cookie: cookie, Accept: 'text/event-stream' });
    expect([stream.status, stream.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/event-stream/)]);
    expect((await probe(internal, 'GET', '/sms/stats', { Cookie: cookie })).status).toBe(200);
  });

  it('a wrong ?token= or cookie is 401 and sets nothing', async () => {
    const page = await probe(internal, 'GET', '/agent?token=not-the-token-at-all');
    expect([page.status, page.body.error]).toEqual([401, 'INTERNAL_TOKEN_INVALID']);
    expect(page.headers['set-cookie']).toBeUndefined();
    const cookie = await probe(internal, 'GET', '/designer/customers', { Cookie: 'ivr_sim_internal=not-the-token-at-all' });
    expect([cookie.status, cookie.body.error]).toEqual([401, 'INTERNAL_TOKEN_INVALID']);
  });

  it("lets the cookie count beside a sign-on proxy's own Authorization header, and marks the cookie Secure behind https", async () => {
    const basic = await probe(internal, 'GET', '/designer/customers', { Authorization: 'Basic YWdlbnQ6c2VjcmV0', Cookie: `ivr_sim_internal=${TOKEN}` });
    expect(basic.status).toBe(200);
    // A proxy that forwards a bearer token of its own: the cookie still lets the page in.
    const proxied = await probe(internal, 'GET', '/designer/customers', { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.proxy', Cookie: `ivr_sim_internal=${TOKEN}` });
    expect(proxied.status).toBe(200);
    const https = await probe(internal, 'GET', `/agent?token=${TOKEN}`, { 'X-Forwarded-Proto': 'https' });
    expect(https.headers['set-cookie']).toEqual([`ivr_sim_internal=${TOKEN}; Path=/; HttpOnly; SameSite=Strict; Secure`]);
  });

  it('asks nothing of Twilio or the load balancer on the public listener', async () => {
    expect((await probe(pub, 'GET', '/health')).status).toBe(200);
    const webhook = await probe(pub, 'POST', '/voice/incoming');
    expect(webhook.body.error).toBe('TWILIO_SIGNATURE_MISSING');
    // Nor does the token open the internal pages there.
    const customers = await probe(pub, 'GET', `/designer/customers?token=${TOKEN}`, { Authorization: `Bearer ${TOKEN}` });
    expect(customers.status).toBe(404);
  });

  it('never writes the token to the log, nor echoes it in a 404', async () => {
    const res = await probe(internal, 'GET', `/no-such-page?token=${TOKEN}`);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    expect(JSON.stringify(h.logs)).not.toContain(TOKEN);
  });
});

describe('listener settings from the environment', () => {
  const good = { PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID };

  it('puts the internal listener on 127.0.0.1:3001 without a token, and the public one on every interface, unless told otherwise', () => {
    const env = loadAppEnv(good);
    expect(env).toMatchObject({ host: null, port: 3000, internal: { host: '127.0.0.1', port: 3001, token: null } });
    expect(loadAppEnv({ ...good, HOST: '10.0.0.5', INTERNAL_HOST: '0.0.0.0', INTERNAL_PORT: '8443', INTERNAL_TOKEN: 'abcdefABCDEF0123-_.~' })).toMatchObject({
      host: '10.0.0.5',
      internal: { host: '0.0.0.0', port: 8443, token: 'abcdefABCDEF0123-_.~' },
    });
  });

  it('lists every listener problem at start-up, without printing the token', () => {
    let error: AppEnvError | undefined;
    try {
      loadAppEnv({ ...good, HOST: 'http://0.0.0.0', INTERNAL_HOST: 'in ternal', INTERNAL_PORT: 'ninety', INTERNAL_TOKEN: 'short secret' });
    } catch (err) {
      error = err as AppEnvError;
    }
    expect(error).toBeInstanceOf(AppEnvError);
    const text = error!.problems.join('\n');
    for (const name of ['HOST=http://0.0.0.0', 'INTERNAL_HOST=in ternal', 'INTERNAL_PORT=ninety', 'INTERNAL_TOKEN']) expect(text).toContain(name);
    expect(text).not.toContain('short secret');
    // One port cannot be both listeners on the same interface.
    expect(() => loadAppEnv({ ...good, INTERNAL_PORT: '3000' })).toThrow(/INTERNAL_PORT=3000: PORT is 3000 on the same interface/);
    expect(() => loadAppEnv({ ...good, HOST: '127.0.0.1', PORT: '8080', INTERNAL_PORT: '8080' })).toThrow(/INTERNAL_PORT=8080/);
    // The same port on different interfaces is fine.
    expect(loadAppEnv({ ...good, HOST: '10.0.0.5', INTERNAL_PORT: '3000' }).internal.port).toBe(3000);
  });

  it('warns loudly when the internal pages listen beyond loopback without a token', async () => {
    const open = await startService('internal-open', { INTERNAL_HOST: '0.0.0.0' });
    const guarded = await startService('internal-guarded', { INTERNAL_HOST: '0.0.0.0', INTERNAL_TOKEN: 'f00dfacecafe0123456789abcdef4567' });
    try {
      const warning = open.logs.find((l) => l['setting'] === 'INTERNAL_HOST=0.0.0.0');
      expect(warning?.level).toBe(40);
      expect(warning?.msg).toMatch(/OPEN/);
      expect(guarded.logs.some((l) => l['setting'] === 'INTERNAL_HOST=0.0.0.0')).toBe(false);
    } finally {
      await open.close();
      await guarded.close();
    }
  });
});
