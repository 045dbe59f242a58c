import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planTestEnv, type TestEnvFacts } from '../../scripts/prepare-test-env.mjs';
import { PACKAGE_ROOT } from '../../src/core/config/package-root.js';

const SCRIPT = join(PACKAGE_ROOT, 'scripts', 'prepare-test-env.mjs');
const commands = (facts: TestEnvFacts) => planTestEnv(facts).actions.map((a) => a.command.join(' '));

/** A machine like the one CI starts from: Debian, Node, Redis installed and running, no Chromium. */
const fresh: TestEnvFacts = { redisReply: 'PONG', redisServerInstalled: true, chromiumPath: '/usr/bin/chromium', chromiumPresent: false, isRoot: true };

function run(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { cwd: PACKAGE_ROOT, env: { ...process.env, ...env } }, (error, out, err) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

describe('what npm test prepares before the specs run', () => {
  it('as root without Chromium: installs Debian chromium with apt-get, non-interactively', () => {
    const plan = planTestEnv(fresh);
    expect(plan.problems).toEqual([]);
    expect(commands(fresh)).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium']);
    expect(plan.actions.every((a) => a.env?.['DEBIAN_FRONTEND'] === 'noninteractive')).toBe(true);
  });

  it('as another user without Chromium: changes nothing and gives the one command that installs it', () => {
    const plan = planTestEnv({ ...fresh, isRoot: false, redisReply: null });
    expect(plan.actions).toEqual([]); // Redis is not started either: it stops at once
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]).toContain('Chromium is missing at /usr/bin/chromium');
    expect(plan.problems[0]).toContain('\n  sudo apt-get update && sudo apt-get install -y chromium');
  });

  it('Redis silent: starts redis-server on the loopback without persistence, as CI always did', () => {
    const plan = planTestEnv({ ...fresh, chromiumPresent: true, redisReply: null });
    expect(plan.actions.map((a) => a.command)).toEqual([['redis-server', '--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']]);
    // With Chromium missing too (as root): Redis first, then the install.
    expect(commands({ ...fresh, redisReply: null })).toEqual([plan.actions[0]!.command.join(' '), 'apt-get update -qq', 'apt-get install -y -qq chromium']);
  });

  it('Redis silent and not installed: stops with what to install or start', () => {
    const plan = planTestEnv({ ...fresh, chromiumPresent: true, redisReply: null, redisServerInstalled: false, isRoot: false });
    expect(plan.actions).toEqual([]);
    expect(plan.problems).toEqual([expect.stringContaining('Redis is not answering at 127.0.0.1:6379 and redis-server is not installed')]);
    expect(plan.problems[0]).toContain('sudo apt-get update && sudo apt-get install -y redis-server');
  });

  it('something else on the Redis port: stops and says what it answered', () => {
    const plan = planTestEnv({ ...fresh, chromiumPresent: true, redisReply: 'NOAUTH Authentication required.' });
    expect(plan.actions).toEqual([]);
    expect(plan.problems[0]).toContain('PING got "NOAUTH Authentication required."');
  });

  it('everything in place: nothing to do', () => {
    expect(planTestEnv({ ...fresh, chromiumPresent: true })).toEqual({ actions: [], problems: [] });
  });

  it('the script itself, with Chromium absent where IVR_SIM_CHROMIUM points and --dry-run: says what it would do and does nothing', async () => {
    const r = await run({ IVR_SIM_CHROMIUM: '/nonexistent/ivr-sim-test/chromium' }, '--dry-run');
    if (process.getuid?.() === 0) {
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(
        'prepare-test-env: would run: apt-get update -qq\n' +
          'prepare-test-env: would run: apt-get install -y -qq chromium\n' +
          'prepare-test-env: dry run, nothing changed (Chromium checked at /nonexistent/ivr-sim-test/chromium)\n',
      );
    } else {
      expect(r.code).toBe(1);
      expect(r.err).toContain('sudo apt-get update && sudo apt-get install -y chromium');
    }
  });

  it('the script itself rejects an unknown argument', async () => {
    const r = await run({}, '--install-everything');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown argument --install-everything');
  });
});
