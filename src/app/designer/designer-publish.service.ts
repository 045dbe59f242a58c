import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { snapshotOf, editableTexts, type ConfigSnapshot } from '../../core/editing/draft.js';
import { editableFile, type EditableFile } from '../../core/editing/editable-files.js';
import { editorIssue } from '../../core/editing/editor-issue.js';
import { writeFileBatch, type FileWrite } from '../../core/editing/file-batch.js';
import { writeStableJson } from '../../core/editing/stable-json.js';
import { VersionHistory, type SavedVersion } from '../../core/editing/version-history.js';
import type { Clock } from '../../core/time/clock.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import type { AppEnv } from '../config/app-env.js';
import { ConfigWatcher } from '../config/config-watcher.js';
import { APP_ENV, CLOCK, LOGGER } from '../tokens.js';
import { readEditRequest } from './designer-edit-request.js';
import { DesignerEditService } from './designer-edit.service.js';
import { DesignerDraftInvalidError, DesignerRequestError, DesignerVersionConflictError, DesignerVersionNotFoundError } from './designer-errors.js';

export interface SaveResult {
  /** The configuration version served after the save. */
  version: string;
  savedVersion: SavedVersion;
}

const MAX_MESSAGE = 500;
/** Long enough for the file events of a batch to arrive (and be ignored) before the watcher listens again. */
const SETTLE_MS = 100;

/**
 * Save = publish: a valid draft is written over the live files (all of them or none), the
 * service reloads once, and the version is kept in the history. Saves and restores run one at
 * a time; each starts from the version being served, or is refused with 409.
 */
@Injectable()
export class DesignerPublishService {
  private readonly history: VersionHistory;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(APP_ENV) private readonly env: AppEnv,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(ConfigWatcher) private readonly watcher: ConfigWatcher,
    @Inject(DesignerEditService) private readonly editor: DesignerEditService,
  ) {
    this.history = new VersionHistory(env.designer.historyDir);
  }

  versions(): { versions: SavedVersion[] } {
    return { versions: this.history.list() };
  }

  save(body: unknown): Promise<SaveResult> {
    let message = '';
    const req = readEditRequest(body, this.env.configPaths, { properties: ['message'], requireBase: true }, (fields, problems) => {
      const m = fields['message'];
      if (m !== undefined && m !== null && (typeof m !== 'string' || m.length > MAX_MESSAGE)) problems.push(`message: expected a text of at most ${MAX_MESSAGE} characters`);
      else if (typeof m === 'string') message = m;
    });
    if (req.changes.size === 0) throw new DesignerRequestError(['changes: nothing to save; give at least one file']);
    return this.exclusive(async () => {
      const { snapshot } = this.editor.current();
      this.checkBase(req.baseVersion!, snapshot);
      const writes = new Map<EditableFile, string | null>();
      for (const [file, doc] of req.changes) writes.set(file, doc === null ? null : writeStableJson(doc, snapshot.texts.get(file.file), file.schema));
      return this.publish(req.baseVersion!, writes, message);
    });
  }

  restore(id: string, body: unknown): Promise<SaveResult> {
    const req = readEditRequest(body ?? {}, this.env.configPaths, { properties: [], requireBase: true, requireChanges: false });
    if (req.changes.size) throw new DesignerRequestError(['changes: a restore takes no changes; it writes the files of the version']);
    return this.exclusive(async () => {
      const files = this.history.files(id);
      if (!files) throw new DesignerVersionNotFoundError(id);
      const { snapshot } = this.editor.current();
      this.checkBase(req.baseVersion!, snapshot);
      const now = editableTexts(snapshot);
      const writes = new Map<EditableFile, string | null>();
      // Against the disk, not what is served: the files are to hold the version's bytes again.
      for (const [path, text] of files) {
        const file = editableFile(path, this.env.configPaths);
        if (typeof file !== 'string' && (!existsSync(file.file) || readFileSync(file.file, 'utf8') !== text)) writes.set(file, text);
      }
      for (const path of now.keys()) {
        const file = editableFile(path, this.env.configPaths);
        if (!files.has(path) && typeof file !== 'string' && file.kind === 'flow') writes.set(file, null);
      }
      return this.publish(req.baseVersion!, writes, `restore of ${id}`);
    });
  }

  private checkBase(baseVersion: string, snapshot: ConfigSnapshot): void {
    if (baseVersion !== snapshot.version) throw new DesignerVersionConflictError(baseVersion, snapshot.version);
  }

  /**
   * Checks the files as a draft (validate + lint), then writes them all at once with the watcher
   * quiet, reloads once, and puts every file back if the reload is refused.
   */
  private async publish(baseVersion: string, writes: Map<EditableFile, string | null>, message: string): Promise<SaveResult> {
    const changes = new Map([...writes].map(([f, text]) => [f, text === null ? null : (JSON.parse(text) as unknown)]));
    const check = await this.editor.checkDraft(changes);
    if (!check.valid) throw new DesignerDraftInvalidError(check.issues);
    // The check ran in another thread: a reload may have happened meanwhile.
    const { snapshot } = this.editor.current();
    this.checkBase(baseVersion, snapshot);
    if (this.history.list().length === 0) {
      this.history.record({
        savedAt: new Date(this.clock.now()).toISOString(),
        configVersion: snapshot.version,
        message: 'the files as they were before the first save',
        changed: [...editableTexts(snapshot).keys()],
        files: editableTexts(snapshot),
      });
    }
    const batch: FileWrite[] = [...writes].map(([f, text]) => ({ file: f.file, text }));
    this.watcher.suppress();
    try {
      const written = writeFileBatch(batch);
      const reload = this.watcher.tryReload();
      if (!reload.ok) {
        written.rollback();
        this.log.warn({ baseVersion, files: [...writes.keys()].map((f) => f.path), issues: reload.issues }, 'designer save refused by the reload; the files were put back');
        throw new DesignerDraftInvalidError(
          reload.issues.map((i) => editorIssue(i, 'validate', this.env.configPaths, new Map())),
          'the saved files (with the other files on disk)',
        );
      }
      const saved = snapshotOf(reload.config);
      const savedVersion = this.history.record({
        savedAt: new Date(this.clock.now()).toISOString(),
        configVersion: reload.config.version,
        message,
        changed: [...writes.keys()].map((f) => f.path).sort(),
        files: editableTexts(saved),
      });
      this.log.info({ configVersion: reload.config.version, baseVersion, savedVersion: savedVersion.id, files: savedVersion.files }, 'designer saved; new calls use the new version');
      return { version: reload.config.version, savedVersion };
    } finally {
      await sleep(SETTLE_MS);
      this.watcher.resume();
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
