#!/usr/bin/env node
// What `npm test` needs besides node_modules: Redis answering at 127.0.0.1:6379 and Debian's
// Chromium for the browser specs (driven by playwright-core; no browser is ever downloaded).
// Run by `npm test` (pretest) and by .ci/run. As root it starts Redis and installs Chromium when
// they are missing; otherwise it stops at once with the one command that provides them.
//
//   node scripts/prepare-test-env.mjs [--dry-run]
//   IVR_SIM_CHROMIUM=/path/to/chromium   the Chromium the browser specs drive (default /usr/bin/chromium)
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = 6379;
export const REDIS_SERVER_COMMAND = ['redis-server', '--daemonize', 'yes', '--bind', REDIS_HOST, '--port', String(REDIS_PORT), '--save', '', '--appendonly', 'no'];
export const CHROMIUM_INSTALL_COMMANDS = [
  ['apt-get', 'update', '-qq'],
  ['apt-get', 'install', '-y', '-qq', 'chromium'],
];

/**
 * What to do, from what was found; runs nothing. `problems` non-empty means stop before doing
 * anything, each problem saying what is missing and the command that provides it.
 *
 * @param {import('./prepare-test-env.d.mts').TestEnvFacts} f
 * @returns {import('./prepare-test-env.d.mts').TestEnvPlan}
 */
export function planTestEnv(f) {
  /** @type {import('./prepare-test-env.d.mts').TestEnvAction[]} */
  const actions = [];
  /** @type {string[]} */
  const problems = [];
  const sudo = f.isRoot ? '' : 'sudo ';
  const address = `${REDIS_HOST}:${REDIS_PORT}`;

  if (f.redisReply === null) {
    if (f.redisServerInstalled) actions.push({ what: `starting redis-server on ${address} (no persistence)`, command: REDIS_SERVER_COMMAND });
    else problems.push(`Redis is not answering at ${address} and redis-server is not installed. Install it with:\n  ${sudo}apt-get update && ${sudo}apt-get install -y redis-server\nor start a Redis of your own on ${address}.`);
  } else if (f.redisReply !== 'PONG') {
    problems.push(`Something answers at ${address} but not as Redis without a password would: PING got "${f.redisReply}". The tests need a Redis there that accepts commands without AUTH.`);
  }

  if (!f.chromiumPresent) {
    if (f.isRoot) {
      for (const command of CHROMIUM_INSTALL_COMMANDS) actions.push({ what: `installing Debian's chromium: ${command.join(' ')}`, command, env: { DEBIAN_FRONTEND: 'noninteractive' } });
    } else {
      problems.push(
        `Chromium is missing at ${f.chromiumPath}: the browser tests drive Debian's Chromium (nothing is downloaded). Install it with:\n  sudo apt-get update && sudo apt-get install -y chromium` +
          (f.chromiumPath === DEBIAN_CHROMIUM ? '' : `\nor point IVR_SIM_CHROMIUM at a Chromium you have (it names ${f.chromiumPath}).`),
      );
    }
  }
  // Nothing is started or installed when the run would stop anyway.
  return problems.length ? { actions: [], problems } : { actions, problems };
}

/** Whether `file` exists and may be run. */
function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir && executable(join(dir, name)));
}

/** Redis's answer to PING ("PONG", an error text), or null when nothing answers. */
export function pingRedis(host = REDIS_HOST, port = REDIS_PORT, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = (/** @type {string | null} */ value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(reply ? reply.trim() : null));
    socket.on('error', () => done(null));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.trim().replace(/^[+-]/, ''));
    });
  });
}

/** @returns {Promise<import('./prepare-test-env.d.mts').TestEnvFacts>} */
export async function gatherFacts(env = process.env) {
  const chromiumPath = env['IVR_SIM_CHROMIUM'] || DEBIAN_CHROMIUM;
  return {
    redisReply: await pingRedis(),
    redisServerInstalled: onPath('redis-server'),
    chromiumPath,
    chromiumPresent: executable(chromiumPath),
    isRoot: process.getuid?.() === 0,
  };
}

async function main(argv) {
  const dryRun = argv.includes('--dry-run');
  const unknown = argv.filter((a) => a !== '--dry-run');
  if (unknown.length) {
    process.stderr.write(`prepare-test-env: unknown argument ${unknown[0]}; usage: node scripts/prepare-test-env.mjs [--dry-run]\n`);
    return 2;
  }
  const facts = await gatherFacts();
  const { actions, problems } = planTestEnv(facts);
  if (problems.length) {
    for (const p of problems) process.stderr.write(`prepare-test-env: ${p}\n`);
    process.stderr.write('prepare-test-env: nothing was changed; the tests were not run.\n');
    return 1;
  }
  for (const a of actions) {
    if (dryRun) {
      process.stdout.write(`prepare-test-env: would run: ${a.command.map((w) => (w === '' ? '""' : w)).join(' ')}\n`);
      continue;
    }
    process.stdout.write(`prepare-test-env: ${a.what}\n`);
    const r = spawnSync(a.command[0], a.command.slice(1), { stdio: 'inherit', env: { ...process.env, ...a.env } });
    if (r.error || r.status !== 0) {
      process.stderr.write(`prepare-test-env: ${a.command.join(' ')} failed${r.error ? `: ${r.error.message}` : ` with exit code ${r.status}`}\n`);
      return 1;
    }
  }
  if (dryRun) {
    process.stdout.write(`prepare-test-env: dry run, nothing changed (Chromium checked at ${facts.chromiumPath})\n`);
    return 0;
  }
  // What was started or installed must now be there.
  for (let i = 0; i < 50 && (await pingRedis()) !== 'PONG'; i++) await new Promise((r) => setTimeout(r, 100));
  const after = await gatherFacts();
  const left = [];
  if (after.redisReply !== 'PONG') left.push(`Redis still does not answer at ${REDIS_HOST}:${REDIS_PORT}.`);
  if (!after.chromiumPresent) left.push(`Chromium is still missing at ${after.chromiumPath}` + (after.chromiumPath === DEBIAN_CHROMIUM ? '.' : ` (Debian's is ${DEBIAN_CHROMIUM}; set IVR_SIM_CHROMIUM to it or unset it).`));
  for (const l of left) process.stderr.write(`prepare-test-env: ${l}\n`);
  if (left.length) return 1;
  process.stdout.write(`prepare-test-env: Redis at ${REDIS_HOST}:${REDIS_PORT} answers; Chromium at ${after.chromiumPath}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
