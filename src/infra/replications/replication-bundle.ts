import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ReplicationJob } from '../../core/replications/replication-worker.js';

/**
 * A replication job with the configuration files inside it, so that a worker on another
 * machine needs no local copy: flows, rules and customers travel as their bytes, and the
 * worker writes them to a directory of its own, named after their content hash.
 */
export interface ReplicationBundle {
  job: ReplicationJob;
  /** Per scenario: relative path → file text, for flows/, rules/ and customers.json. */
  files: Array<Record<string, string>>;
}

function filesUnder(dir: string, into: Record<string, string>, as: string): void {
  if (!existsSync(dir)) return;
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const abs = join(dir, rel);
    if (statSync(abs).isFile()) into[`${as}/${rel}`] = readFileSync(abs, 'utf8');
  }
}

export function bundleJob(job: ReplicationJob): ReplicationBundle {
  return {
    job,
    files: job.scenarios.map((s) => {
      const files: Record<string, string> = {};
      filesUnder(s.paths.flowsDir, files, 'flows');
      filesUnder(s.paths.rulesDir, files, 'rules');
      if (existsSync(s.paths.customersFile)) files['customers.json'] = readFileSync(s.paths.customersFile, 'utf8');
      return files;
    }),
  };
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The job with its scenarios' paths pointing at a local copy of their files (written once per
 * content, under the system's temporary directory). The configuration loaded from there has
 * the version the run started with, which the replicator checks.
 */
export function unbundleJob(bundle: ReplicationBundle, root = join(tmpdir(), 'ivr-sim-replication-configs')): ReplicationJob {
  const scenarios = bundle.job.scenarios.map((s, i) => {
    const files = bundle.files[i]!;
    const dir = join(root, contentHash(JSON.stringify(files)).slice(0, 16));
    if (!existsSync(dir)) {
      const partial = `${dir}.${process.pid}.partial`;
      rmSync(partial, { recursive: true, force: true });
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(dirname(join(partial, rel)), { recursive: true });
        writeFileSync(join(partial, rel), text);
      }
      mkdirSync(join(partial, 'flows'), { recursive: true });
      mkdirSync(join(partial, 'rules'), { recursive: true });
      try {
        renameSync(partial, dir);
      } catch {
        rmSync(partial, { recursive: true, force: true }); // another worker wrote the same content first
      }
    }
    return { ...s, paths: { flowsDir: join(dir, 'flows'), rulesDir: join(dir, 'rules'), customersFile: join(dir, 'customers.json') } };
  });
  return { ...bundle.job, scenarios };
}
