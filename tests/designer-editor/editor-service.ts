import request from 'supertest';
import { startService, type Harness, type StartOptions } from '../app/harness.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';

/** The service on a copy of the shipped configuration, with the editor's workspace as it first reads it. */
export interface EditorService {
  h: Harness;
  copy: ConfigCopy;
  /** The editable documents by path, as GET /designer/api/workspace gives them. */
  files: Record<string, any>;
  /** The configuration version the workspace was read at (a draft's baseVersion). */
  version: string;
  close(): Promise<void>;
}

export async function openEditor(suite: string, opts: StartOptions = {}): Promise<EditorService> {
  const copy = copyConfig();
  const h = await startService(suite, copy.env, opts);
  const res = await request(h.internal).get('/designer/api/workspace').expect(200);
  return {
    h,
    copy,
    files: res.body.files,
    version: res.body.version,
    async close() {
      await h.close();
      copy.remove();
    },
  };
}
