import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadAppEnv } from '../../src/app/config/app-env.js';
import { callSid, signatureFor, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';
import { REDIS_URL } from './harness.js';

const MAIN = resolve(import.meta.dirname, '../../dist/main.js');

/** A port the OS says is free (the service's PORT must be a number). */
function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/** One signed POST on a connection of its own (so the primary hands each to the next worker). */
function post(port: number, path: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams(params).toString();
  return new Promise((res, rej) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signatureFor(TEST_BASE_URL + path, params),
          connection: 'close',
        },
      },
      (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (d: string) => (text += d));
        r.on('end', () => res({ status: r.statusCode!, text }));
      },
    );
    req.on('error', rej);
    req.end(body);
  });
}

interface LogLine {
  msg: string;
  worker?: number;
  workers?: number;
  callSid?: string;
  reply?: string;
  step?: number;
}

describe('WEB_CONCURRENCY: one service process per core behind the same Redis', () => {
  const prefix = `test:web-concurrency:${randomUUID().slice(0, 8)}:`;
  const spoolDir = mkdtempSync(join(tmpdir(), 'ivr-sim-web-concurrency-'));
  let service: ChildProcess;
  let port: number;
  const lines: LogLine[] = [];
  let exited: Promise<number | null>;
  const serviceEnv = (p: number): NodeJS.ProcessEnv => ({
    ...process.env,
    PUBLIC_BASE_URL: TEST_BASE_URL,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: String(p),
    INTERNAL_PORT: '0',
    CONFIG_WATCH: 'off',
    SPOOL_DIR: spoolDir,
    SPOOL_NAME: 'edge',
    WEB_CONCURRENCY: '2',
    LOG_LEVEL: 'info',
  });

  beforeAll(async () => {
    port = await freePort();
    service = spawn(process.execPath, [MAIN], {
      env: serviceEnv(port),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    exited = new Promise((res) => service.once('exit', (code) => res(code)));
    let buf = '';
    await new Promise<void>((res, rej) => {
      service.stdout!.setEncoding('utf8');
      service.stdout!.on('data', (d: string) => {
        buf += d;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = JSON.parse(buf.slice(0, nl)) as LogLine;
          buf = buf.slice(nl + 1);
          lines.push(line);
          if (line.msg === 'all service processes listening') res();
        }
      });
      service.once('exit', (code) => rej(new Error(`the service exited with ${code} before listening`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (service.exitCode === null) service.kill('SIGTERM');
    await exited;
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('starts two workers, each with its own spool file', () => {
    expect(lines.find((l) => l.msg === 'all service processes listening')?.workers).toBe(2);
    expect(readdirSync(spoolDir).filter((f) => f.endsWith('.jsonl')).sort()).toEqual(['edge-1.jsonl', 'edge-2.jsonl']);
  });

  it('moves a call on whichever worker gets each webhook: the call state is in Redis', async () => {
    const sid = callSid(0xc1);
    const base = { CallSid: sid, AccountSid: TEST_ACCOUNT_SID, From: '+8613800000300', To: '+861008600' };
    const first = await post(port, '/voice/incoming', base);
    expect(first.status).toBe(200);
    expect(first.text).toContain('gather?step=1"');
    // Menu → 2 (bill balance) → "anything else?" → 1 (menu) → 2 …, each on a new connection.
    for (let step = 1; step <= 6; step++) {
      const r = await post(port, `/voice/gather?step=${step}`, { ...base, Digits: step % 2 === 1 ? '2' : '1' });
      expect(r.status).toBe(200);
      expect(r.text).toContain(`gather?step=${step + 1}"`);
    }
    // A retry of the last request is recognised whichever worker it reaches.
    const retry = await post(port, '/voice/gather?step=6', { ...base, Digits: '1' });
    expect(retry.text).toContain('gather?step=7"');
    await new Promise((r) => setTimeout(r, 200));
    const answered = lines.filter((l) => l.msg === 'webhook' && l.callSid === sid);
    expect(answered.map((l) => l.reply)).toEqual(['advanced', 'advanced', 'advanced', 'advanced', 'advanced', 'advanced', 'advanced', 'repeated']);
    expect(new Set(answered.map((l) => l.worker))).toEqual(new Set([1, 2]));
  });

  it('stops every worker, and then itself, on SIGTERM', async () => {
    service.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(spoolDir)).toBe(true);
  });

  it('stops, with status 1, when its processes cannot start (a configuration that does not load)', async () => {
    const emptyFlows = mkdtempSync(join(tmpdir(), 'ivr-sim-no-flows-'));
    let broken: ChildProcess | null = null;
    // Left running (the behaviour under test broken, the test timed out), it would keep restarting its processes.
    onTestFinished(() => {
      if (broken?.exitCode === null) broken.kill('SIGTERM');
    });
    try {
      broken = spawn(process.execPath, [MAIN], {
        env: { ...serviceEnv(await freePort()), FLOWS_DIR: emptyFlows },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      broken.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise((res) => broken!.once('exit', res));
      expect(code).toBe(1);
      expect(out).toContain('a service process failed to start; stopping');
    } finally {
      rmSync(emptyFlows, { recursive: true, force: true });
    }
  }, 30_000);

  it('reads WEB_CONCURRENCY as a whole number or auto, and names each worker its own spool file', () => {
    const env = { PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, SPOOL_NAME: 'edge' };
    expect(loadAppEnv(env).webConcurrency).toBe(1);
    expect(loadAppEnv({ ...env, WEB_CONCURRENCY: 'auto' }).webConcurrency).toBeGreaterThanOrEqual(1);
    expect(loadAppEnv({ ...env, WEB_CONCURRENCY: '3', WEB_WORKER_INDEX: '2' }).spool.name).toBe('edge-2');
    expect(loadAppEnv(env).spool.name).toBe('edge');
    expect(() => loadAppEnv({ ...env, WEB_CONCURRENCY: 'two' })).toThrow(/WEB_CONCURRENCY=two: expected a whole number from 1 to 256/);
  });
});
