/**
 * The draft being edited: the saved documents as the service serves them, the draft documents
 * (edited in place, so every key keeps its place and a saved file differs only by the edit),
 * undo and redo, and a copy in localStorage so a reload keeps the draft until it is saved.
 */
import type { Changes, Doc } from './editor-api.js';

const STORAGE_KEY = 'ivr-sim:designer:draft';
/** Edits of one field within this long are one step of undo (typing a word is not ten steps). */
const COALESCE_MS = 1500;
const MAX_UNDO = 200;

interface Stored {
  baseVersion: string;
  changes: Changes;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export class Draft {
  /** The documents as saved (the version the draft started from). */
  saved: Record<string, Doc> = {};
  /** The draft documents, every file; edits change these objects in place. */
  files: Record<string, Doc> = {};
  /** Flow files the draft deletes. */
  deleted = new Set<string>();
  baseVersion = '';
  private undoStack: string[] = [];
  private redoStack: string[] = [];
  private lastEdit: { key: string; at: number } | null = null;
  private readonly listeners: Array<() => void> = [];

  /** Starts from what the service serves; a draft kept in the browser is laid over it. Returns whether one was restored. */
  load(version: string, files: Record<string, Doc>, keepStored = true): boolean {
    this.saved = files;
    this.baseVersion = version;
    this.files = clone(files);
    this.deleted.clear();
    this.undoStack = [];
    this.redoStack = [];
    this.lastEdit = null;
    const stored = keepStored ? this.readStored() : null;
    if (stored) {
      this.baseVersion = stored.baseVersion;
      this.apply(stored.changes);
    }
    this.notify();
    return stored !== null && Object.keys(stored.changes).length > 0;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The documents that differ from the saved ones (null: deleted). */
  changes(): Changes {
    const out: Changes = {};
    for (const [path, doc] of Object.entries(this.files)) {
      if (this.deleted.has(path)) continue;
      if (!(path in this.saved) || JSON.stringify(doc) !== JSON.stringify(this.saved[path])) out[path] = doc;
    }
    for (const path of this.deleted) if (path in this.saved) out[path] = null;
    return out;
  }

  get dirty(): boolean {
    return Object.keys(this.changes()).length > 0;
  }

  /**
   * One edit: `fn` changes the draft documents in place. Edits with the same `coalesce` key in a
   * row (typing in one field) are one step of undo.
   */
  edit(fn: () => void, coalesce?: string): void {
    const before = this.snapshot();
    fn();
    if (this.snapshot() === before) return;
    const now = Date.now();
    const same = coalesce !== undefined && this.lastEdit?.key === coalesce && now - this.lastEdit.at < COALESCE_MS;
    if (!same) {
      this.undoStack.push(before);
      if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
    }
    this.lastEdit = coalesce === undefined ? null : { key: coalesce, at: now };
    this.redoStack = [];
    this.persist();
    this.notify();
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  undo(): void {
    const to = this.undoStack.pop();
    if (to === undefined) return;
    this.redoStack.push(this.snapshot());
    this.restore(to);
  }

  redo(): void {
    const to = this.redoStack.pop();
    if (to === undefined) return;
    this.undoStack.push(this.snapshot());
    this.restore(to);
  }

  /** Drops the draft: the saved documents again. */
  discard(): void {
    this.edit(() => {
      this.files = clone(this.saved);
      this.deleted.clear();
    });
  }

  /** The draft now is what is saved, at `version` (after a save or a restore). */
  markSaved(version: string, files: Record<string, Doc>): void {
    localStorage.removeItem(STORAGE_KEY);
    this.load(version, files, false);
  }

  /** Keeps the draft but starts it from `version` (after a refusal, when the designer chooses to). */
  rebase(version: string, files: Record<string, Doc>): void {
    const changes = this.changes();
    this.saved = files;
    this.baseVersion = version;
    this.files = clone(files);
    this.deleted.clear();
    this.apply(changes);
    this.persist();
    this.notify();
  }

  private apply(changes: Changes): void {
    for (const [path, doc] of Object.entries(changes)) {
      if (doc === null) this.deleted.add(path);
      else this.files[path] = clone(doc);
    }
  }

  private snapshot(): string {
    return JSON.stringify({ changes: this.changes() });
  }

  private restore(snapshot: string): void {
    const { changes } = JSON.parse(snapshot) as { changes: Changes };
    this.files = clone(this.saved);
    this.deleted.clear();
    this.apply(changes);
    this.lastEdit = null;
    this.persist();
    this.notify();
  }

  private persist(): void {
    const changes = this.changes();
    if (Object.keys(changes).length === 0) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, JSON.stringify({ baseVersion: this.baseVersion, changes } satisfies Stored));
  }

  private readStored(): Stored | null {
    try {
      const raw = localStorage.getItem(STORAGE_KEY);
      if (!raw) return null;
      const s = JSON.parse(raw) as Stored;
      return typeof s.baseVersion === 'string' && s.changes && typeof s.changes === 'object' ? s : null;
    } catch {
      return null;
    }
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
