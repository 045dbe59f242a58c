import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import { DraftChecker } from '../../src/core/editing/draft-checker.js';
import { snapshotOf } from '../../src/core/editing/draft.js';
import { editableFile, type EditableFile } from '../../src/core/editing/editable-files.js';
import { DEFAULT_STAFFING_FILE } from '../../src/cli/scenario-options.js';
import { compiledBuild, type Build } from '../replications/compiled-build.js';

describe('checking drafts in a worker thread', () => {
  let build: Build;
  beforeAll(async () => {
    build = await compiledBuild();
  }, 300_000);
  afterAll(() => build.remove());

  it('finds what a check in this thread finds, for a valid and a broken draft', async () => {
    const config = loadConfiguration();
    const snapshot = snapshotOf(config);
    const file = editableFile('flows/vip-gold.json', config.paths) as EditableFile;
    const broken = JSON.parse(snapshot.texts.get(file.file)!);
    broken.states.menu.on['KEY.2'].target = 'nowhere';
    const inWorker = new DraftChecker(new URL('../editing/draft-check-worker.js', build.workerUrl));
    const here = new DraftChecker(undefined);
    try {
      for (const changes of [[], [[file, broken]]] as Array<Array<[EditableFile, unknown]>>) {
        const req = { snapshot, changes, staffingFile: DEFAULT_STAFFING_FILE };
        const [a, b] = await Promise.all([inWorker.check(req), here.check(req)]);
        expect(a).toEqual(b);
      }
      expect((await inWorker.check({ snapshot, changes: [[file, broken]] })).valid).toBe(false);
    } finally {
      await inWorker.close();
    }
  }, 120_000);
});
