import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NODE_FS, writeFileBatch } from '../../src/core/editing/file-batch.js';

describe('writing several configuration files at once', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ivr-sim-batch-'));
    writeFileSync(join(dir, 'a.json'), 'A\n');
    writeFileSync(join(dir, 'b.json'), 'B\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const files = () => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

  it('replaces, creates and deletes, leaves no temporary file, and puts everything back on rollback', () => {
    const batch = writeFileBatch([
      { file: join(dir, 'a.json'), text: 'A2\n' },
      { file: join(dir, 'c.json'), text: 'C\n' },
      { file: join(dir, 'b.json'), text: null },
    ]);
    expect(files()).toEqual({ 'a.json': 'A2\n', 'c.json': 'C\n' });
    batch.rollback();
    expect(files()).toEqual({ 'a.json': 'A\n', 'b.json': 'B\n' });
  });

  it('changes nothing when a file cannot be staged (its directory is missing)', () => {
    expect(() => writeFileBatch([{ file: join(dir, 'a.json'), text: 'A2\n' }, { file: join(dir, 'missing', 'x.json'), text: 'X\n' }])).toThrow();
    expect(files()).toEqual({ 'a.json': 'A\n', 'b.json': 'B\n' });
  });

  it('puts back the files already replaced when a later one cannot be renamed into place', () => {
    let renames = 0;
    const failing = {
      ...NODE_FS,
      rename(from: string, to: string) {
        if (++renames === 2) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
        NODE_FS.rename(from, to);
      },
    };
    expect(() => writeFileBatch([{ file: join(dir, 'a.json'), text: 'A2\n' }, { file: join(dir, 'b.json'), text: 'B2\n' }, { file: join(dir, 'c.json'), text: 'C\n' }], failing)).toThrow(/EIO/);
    expect(files()).toEqual({ 'a.json': 'A\n', 'b.json': 'B\n' });
  });
});
