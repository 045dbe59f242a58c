import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Configuration } from '../../core/configuration/configuration.js';
import type { DraftCheckResult } from '../../core/editing/draft-check-worker.js';
import { DraftChecker } from '../../core/editing/draft-checker.js';
import { editableTexts, snapshotOf, type ConfigSnapshot, type DraftChanges } from '../../core/editing/draft.js';
import { LANGUAGES, type Language } from '../../core/profile/customer-profile.js';
import type { RouteParams } from '../../core/rules/rule-files.js';
import { loadStaffingFile } from '../../core/staffing/staffing-file.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import type { AppEnv } from '../config/app-env.js';
import { APP_ENV, CONFIG_VERSIONS } from '../tokens.js';
import { readEditRequest } from './designer-edit-request.js';

export interface EditorWorkspace {
  version: string;
  /** Every file the editor may change, parsed, by repository-relative path. */
  files: Record<string, unknown>;
  segments: Array<{ id: string; flowId: string | null }>;
  queues: string[];
  languages: readonly Language[];
}

/**
 * The flow editor's server side: the files being served as a workspace, and drafts (those
 * files with edited documents laid over them) checked by what `ivr-sim validate` and `lint` run.
 */
@Injectable()
export class DesignerEditService implements OnModuleDestroy {
  private readonly checker = new DraftChecker();
  private snapshot: ConfigSnapshot | undefined;
  private staffingQueues: Promise<string[]> | undefined;

  constructor(
    @Inject(APP_ENV) private readonly env: AppEnv,
    @Inject(CONFIG_VERSIONS) private readonly versions: ConfigVersions,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.checker.close();
  }

  /** The files of the configuration being served (as they were loaded), kept per version. */
  current(): { config: Configuration; snapshot: ConfigSnapshot } {
    const config = this.versions.current.config;
    if (this.snapshot?.version !== config.version || this.snapshot.texts !== config.sources) {
      this.snapshot = snapshotOf(config);
    }
    return { config, snapshot: this.snapshot };
  }

  async workspace(): Promise<EditorWorkspace> {
    const { config, snapshot } = this.current();
    const files: Record<string, unknown> = {};
    for (const [path, text] of editableTexts(snapshot)) files[path] = JSON.parse(text) as unknown;
    const segments = [config.rules.segmentDefault.segment, ...config.rules.segments.doc.rules.map((r) => (r.event.params as { segment: string }).segment)];
    const routed = (r: RouteParams) => [r.queue, ...(r.overflow ?? []).map((s) => s.queue)];
    const queues = new Set([...(await this.staffedQueues()), ...routed(config.rules.routeDefault), ...config.rules.routing.doc.rules.flatMap((r) => routed(r.event.params as unknown as RouteParams))]);
    return {
      version: config.version,
      files,
      segments: [...new Set(segments)].map((id) => ({ id, flowId: config.flows.bySegment.get(id)?.id ?? null })),
      queues: [...queues],
      languages: LANGUAGES,
    };
  }

  async check(body: unknown): Promise<DraftCheckResult> {
    const req = readEditRequest(body, this.env.configPaths, { properties: [] });
    return this.checkDraft(req.changes);
  }

  /** Validate + lint of the draft, in the check worker (lint takes seconds on a large configuration). */
  checkDraft(changes: DraftChanges): Promise<DraftCheckResult> {
    const { snapshot } = this.current();
    return this.checker.check({ snapshot, changes: [...changes], staffingFile: this.env.designer.staffingFile });
  }

  private staffedQueues(): Promise<string[]> {
    this.staffingQueues ??= loadStaffingFile(this.env.designer.staffingFile).then(
      (r) => r.staffing.queues.map((q) => q.id),
      () => [],
    );
    return this.staffingQueues;
  }
}
