/**
 * The editor's API under /designer/api (see docs/designer-guide.md): the workspace being served,
 * checks, walks, diagrams, comparisons and saves of a draft. A draft travels as `changes`: the
 * full documents that differ from the saved ones, by repository path, overlaid on the files the
 * service was loaded from; `baseVersion` is the configuration version the draft started from.
 */
import { NamedError } from '../../../core/errors/named-error.js';
import type { DraftCheckAnswer, DraftTryAnswer, SaveAnswer, VersionsAnswer } from './payloads.js';

/** A parsed JSON document (a flow, the prompts, a rule set), edited in place so its key order stays. */
export type Doc = Record<string, unknown>;
/** Repository path → the full draft document; null deletes a flow file. */
export type Changes = Record<string, Doc | null>;

export interface Workspace {
  version: string;
  files: Record<string, Doc>;
  segments: unknown[];
  queues: string[];
  languages: string[];
}

/** A check's finding (the service's EditorIssue): file, JSON pointer, state and field when it concerns one, severity, source and message. */
export type CheckAnswer = DraftCheckAnswer;
export type Issue = CheckAnswer['issues'][number];

export interface DeltaInterval {
  mean: number;
  ciLow: number;
  ciHigh: number;
  significant?: boolean;
}

export interface CompareAnswer {
  trace: string;
  /** The replications block of `ivr-sim compare --json`: how many, the seed, the method. */
  replications: { n: number; seed: number; method?: string } | number;
  elapsedMs: number;
  delta: { overall: Record<string, number | null>; bySegment: Record<string, Record<string, number | null>>; byQueue?: Record<string, Record<string, number | null>> };
  deltaIntervals?: { overall?: Record<string, DeltaInterval>; bySegment?: Record<string, Record<string, DeltaInterval>> };
  changedCalls: {
    count: number;
    transitions: Array<{ field: string; from: string; to: string; count: number }>;
    /** The first changed calls themselves. */
    calls?: Array<{ callId: string; changed: string[]; baseline: Record<string, unknown>; candidate: Record<string, unknown> }>;
  };
  decisions: { compared: number; different: number; byKind?: Record<string, number>; examples?: Array<{ callId: string; kinds: string[]; baseline: string; candidate: string }> };
  baseline: Record<string, unknown>;
  candidate: Record<string, unknown>;
}

export type { SaveAnswer };
export type SavedVersion = VersionsAnswer['versions'][number];

export type EditorTryAnswer = DraftTryAnswer;

/** A refused request: the HTTP status and what the service said (its issues, the version it serves). */
export class ApiError extends NamedError {
  readonly code = 'DESIGNER_API_REFUSED';
  constructor(
    readonly status: number,
    message: string,
    readonly body: { error?: string; message?: string; issues?: Issue[]; currentVersion?: string } | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class EditorApi {
  constructor(private readonly root: string) {}

  private async call<T>(path: string, body?: unknown): Promise<T> {
    const init: RequestInit = body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    const res = await fetch(this.root + path, init);
    const json = (res.headers.get('content-type') ?? '').includes('json') ? ((await res.json().catch(() => null)) as Record<string, unknown> | null) : null;
    if (!res.ok) {
      const missing = res.status === 404 && (!json || /Cannot (GET|POST)/.test(typeof json['message'] === 'string' ? json['message'] : ''));
      const message = missing ? `the service has no ${body === undefined ? 'GET' : 'POST'} /${path} yet` : typeof json?.['message'] === 'string' ? json['message'] : `HTTP ${res.status}`;
      throw new ApiError(res.status, message, json as ApiError['body']);
    }
    return json as T;
  }

  workspace(): Promise<Workspace> {
    return this.call('designer/api/workspace');
  }
  check(baseVersion: string, changes: Changes): Promise<CheckAnswer> {
    return this.call('designer/api/check', { baseVersion, changes });
  }
  try(body: { baseVersion: string; changes: Changes; caller?: string; profile?: unknown; keys: string[]; end?: 'wait' | 'hangup'; language?: string }): Promise<EditorTryAnswer> {
    return this.call('designer/api/try', body);
  }
  compare(baseVersion: string, changes: Changes, replications = 20): Promise<CompareAnswer> {
    return this.call('designer/api/compare', { baseVersion, changes, trace: 'sample', replications });
  }
  save(baseVersion: string, changes: Changes, message?: string): Promise<SaveAnswer> {
    return this.call('designer/api/save', { baseVersion, changes, ...(message ? { message } : {}) });
  }
  versions(): Promise<VersionsAnswer> {
    return this.call('designer/api/versions');
  }
  restore(id: string, baseVersion: string): Promise<SaveAnswer> {
    return this.call(`designer/api/versions/${encodeURIComponent(id)}/restore`, { baseVersion });
  }
}
