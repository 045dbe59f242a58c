/**
 * The flow editor's "Compare with saved" through its HTTP endpoint, as the browser asks it: the
 * service in this process, a draft that lengthens every Chinese prompt, POST
 * /designer/api/compare with the default trace (data/traces/sample.jsonl) and 20 replications.
 * Prints each run's wall time as the client sees it, the service's own elapsedMs, and the
 * slowest GET /health answered while the comparison ran (the comparison runs in another process,
 * so that stays short). Redis at $REDIS_URL (default redis://127.0.0.1:6379); the comparison
 * runs the built command line, so build first:
 *   npm run build && npx tsc -p tsconfig.bench.json && node dist-bench/bench/designer-compare-bench.js
 * Options (environment): BENCH_RUNS (default 3, after one warm-up run).
 */

import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadAppEnv } from '../src/app/config/app-env.js';
import { createApp } from '../src/app/create-app.js';
import { InternalListener } from '../src/app/listeners/internal-listener.js';
import { defaultPaths } from '../src/core/configuration/configuration.js';
import { median } from './bench-util.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-compare-bench-'));
  const d = defaultPaths();
  cpSync(d.flowsDir, join(dir, 'flows'), { recursive: true });
  cpSync(d.rulesDir, join(dir, 'rules'), { recursive: true });
  const env = loadAppEnv({
    PUBLIC_BASE_URL: 'https://ivr.bench.test',
    TWILIO_AUTH_TOKEN: '0123456789abcdef0123456789abcdef',
    TWILIO_ACCOUNT_SID: 'AC' + 'a1'.repeat(16),
    REDIS_URL,
    REDIS_KEY_PREFIX: `bench:${randomUUID().slice(0, 8)}:`,
    CONFIG_WATCH: 'off',
    FLOWS_DIR: join(dir, 'flows'),
    RULES_DIR: join(dir, 'rules'),
    INTERNAL_PORT: '0',
  });
  const app = await createApp({ env, logger: pino({ level: 'warn' }) });
  const server = await app.listen(0, '127.0.0.1');
  const internal = await app.get(InternalListener).listen();
  const pub = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const base = `http://${internal.address}:${internal.port}`;
  try {
    const ws = (await (await fetch(`${base}/designer/api/workspace`)).json()) as { version: string; files: Record<string, { prompts: Record<string, { text: Record<string, string> }> }> };
    const prompts = structuredClone(ws.files['flows/prompts.json']!);
    for (const p of Object.values(prompts.prompts)) p.text['zh-CN'] = p.text['zh-CN'] + '。'.repeat(5);
    const body = JSON.stringify({ baseVersion: ws.version, changes: { 'flows/prompts.json': prompts } });
    const walls: number[] = [];
    const reported: number[] = [];
    const healthMax: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      let done = false;
      let slowest = 0;
      const probe = (async () => {
        while (!done) {
          const t = performance.now();
          await fetch(`${pub}/health`);
          slowest = Math.max(slowest, performance.now() - t);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const t0 = performance.now();
      const res = await fetch(`${base}/designer/api/compare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const r = (await res.json()) as { elapsedMs: number; replications: { n: number } };
      const wall = performance.now() - t0;
      done = true;
      await probe;
      if (res.status !== 200) throw new Error(`compare answered ${res.status}: ${JSON.stringify(r)}`);
      const label = i === 0 ? 'warm-up' : `run ${i}`;
      console.log(`${label}: ${(wall / 1000).toFixed(2)} s as the client sees it; service elapsedMs ${r.elapsedMs}; ${r.replications.n} replications; slowest /health meanwhile ${slowest.toFixed(0)} ms`);
      if (i > 0) {
        walls.push(wall);
        reported.push(r.elapsedMs);
        healthMax.push(slowest);
      }
    }
    console.log(`median of ${RUNS}: ${(median(walls) / 1000).toFixed(2)} s (service ${(median(reported) / 1000).toFixed(2)} s); slowest /health during a comparison: median ${median(healthMax).toFixed(0)} ms`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
