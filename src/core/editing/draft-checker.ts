import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { reviveError, serializeError } from '../replay/worker-error.js';
import { runDraftCheck, type DraftCheckRequest, type DraftCheckResult, type FromDraftCheckWorker } from './draft-check-worker.js';

/**
 * The compiled draft-check worker next to this module, or undefined when there is none (under
 * Vitest this module is TypeScript source, which a worker thread cannot load).
 */
export function draftCheckWorkerUrl(): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const url = new URL('./draft-check-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * Checks drafts in one worker thread, started at the first check and kept (its schemas compiled,
 * its staffing loaded); checks queue there one after another. Without a compiled worker the
 * checks run in this thread.
 */
export class DraftChecker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: DraftCheckResult) => void; reject: (e: Error) => void }>();

  constructor(private readonly workerUrl: URL | undefined = draftCheckWorkerUrl()) {}

  check(request: DraftCheckRequest): Promise<DraftCheckResult> {
    if (!this.workerUrl) return runDraftCheck(request);
    const worker = this.start(this.workerUrl);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  private start(url: URL): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(url);
    w.unref();
    w.on('message', (m: FromDraftCheckWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m) p.reject(reviveError(m.error));
      else p.resolve(m.result);
    });
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    w.on('error', (err) => fail(reviveError(serializeError(err))));
    w.on('exit', (code) => fail(new Error(`the draft-check worker stopped (exit code ${code})`)));
    this.worker = w;
    return w;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
