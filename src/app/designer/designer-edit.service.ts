import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Configuration } from '../../core/configuration/configuration.js';
import { CallDecider } from '../../core/decision/call-decider.js';
import { toDot } from '../../core/designer/dot-diagram.js';
import { flowDiagram } from '../../core/designer/flow-diagram.js';
import { renderSvg } from '../../core/designer/svg-render.js';
import type { EditorIssue } from '../../core/editing/editor-issue.js';
import { FlowLoopError } from '../../core/flows/ivr-player.js';
import type { DraftCheckResult } from '../../core/editing/draft-check-worker.js';
import { DraftChecker } from '../../core/editing/draft-checker.js';
import { editableTexts, loadDraft, snapshotOf, type ConfigSnapshot, type DraftChanges } from '../../core/editing/draft.js';
import { LANGUAGES, type Language } from '../../core/profile/customer-profile.js';
import type { RouteParams } from '../../core/rules/rule-files.js';
import { loadStaffingFile } from '../../core/staffing/staffing-file.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import type { AppEnv } from '../config/app-env.js';
import { APP_ENV, CONFIG_VERSIONS } from '../tokens.js';
import { readEditRequest } from './designer-edit-request.js';
import { DesignerDraftInvalidError, DesignerFlowNotFoundError, DesignerRequestError, DesignerWalkError } from './designer-errors.js';
import { readDesignerWalkRequest } from './designer-request.js';
import { walkForDesigner, type DesignerWalkResult } from './designer-walk.js';
import { DesignerService, type DesignerConfigState } from './designer.service.js';

/** A call walked against a draft: as POST /designer/try answers, plus the draft's own version. */
export type DraftTryResult = DesignerWalkResult & { config: DesignerConfigState; draftVersion: string };

/** Drafts kept loaded: a call walked key by key sends the same draft with every key. */
const MAX_CACHED_DRAFTS = 8;
const WALK_PROPERTIES = ['caller', 'profile', 'keys', 'end', 'language'] as const;

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
  private snapshot: { of: Configuration; snapshot: ConfigSnapshot } | undefined;
  private staffingQueues: Promise<string[]> | undefined;
  private readonly drafts = new Map<string, { config: Configuration; decider: CallDecider } | { issues: EditorIssue[] }>();

  constructor(
    @Inject(APP_ENV) private readonly env: AppEnv,
    @Inject(CONFIG_VERSIONS) private readonly versions: ConfigVersions,
    @Inject(DesignerService) private readonly designer: DesignerService,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.checker.close();
  }

  /** The files of the configuration being served (as they were loaded), kept per version. */
  current(): { config: Configuration; snapshot: ConfigSnapshot } {
    const config = this.versions.current.config;
    if (this.snapshot?.of !== config) this.snapshot = { of: config, snapshot: snapshotOf(config) };
    return { config, snapshot: this.snapshot.snapshot };
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

  /** The draft checked, and the version of the files it was laid over (the one served now). */
  async check(body: unknown): Promise<DraftCheckResult & { version: string }> {
    const req = readEditRequest(body, this.env.configPaths, { properties: [] });
    const { version } = this.current().snapshot;
    return { ...(await this.checkDraft(req.changes)), version };
  }

  /**
   * Validate + lint of the draft (or, with `lint: false`, whether it loads), in the check worker:
   * lint takes seconds on a large configuration.
   */
  checkDraft(changes: DraftChanges, opts: { lint?: boolean } = {}): Promise<DraftCheckResult> {
    const { snapshot } = this.current();
    return this.checker.check({ snapshot, changes: [...changes], staffingFile: this.env.designer.staffingFile, ...(opts.lint === false ? { lint: false } : {}) });
  }

  /** Walks a call through the draft, as POST /designer/try does through the served configuration. */
  try(body: unknown): DraftTryResult {
    let walk: ReturnType<typeof readDesignerWalkRequest> | undefined;
    const req = readEditRequest(body, this.env.configPaths, { properties: WALK_PROPERTIES }, (fields, problems) => {
      const call = Object.fromEntries(WALK_PROPERTIES.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]]));
      try {
        walk = readDesignerWalkRequest(call);
      } catch (err) {
        if (!(err instanceof DesignerRequestError)) throw err;
        problems.push(...err.problems);
      }
    });
    const draft = this.loaded(req.changes);
    try {
      return { ...walkForDesigner(draft.decider, walk!), config: this.designer.configState(), draftVersion: draft.config.version };
    } catch (err) {
      if (err instanceof FlowLoopError) throw new DesignerWalkError(err.message);
      throw err;
    }
  }

  /** The draft's flow drawn as GET /designer/flows/:id/diagram.svg draws a served one. */
  async diagram(body: unknown): Promise<{ svg: string }> {
    let flowId = '';
    const req = readEditRequest(body, this.env.configPaths, { properties: ['flowId'] }, (fields, problems) => {
      if (typeof fields['flowId'] !== 'string' || !fields['flowId']) problems.push('flowId: expected the id of a flow, e.g. "vip-gold"');
      else flowId = fields['flowId'];
    });
    const { config } = this.loaded(req.changes);
    const flow = config.flows.flows.get(flowId);
    if (!flow) throw new DesignerFlowNotFoundError(flowId, [...config.flows.flows.keys()]);
    return { svg: await renderSvg(toDot(flowDiagram(flow))) };
  }

  /** The draft loaded as the service would load it; DesignerDraftInvalidError (422) when it does not load. */
  private loaded(changes: DraftChanges): { config: Configuration; decider: CallDecider } {
    const { snapshot } = this.current();
    const key = `${snapshot.version}\u0000${JSON.stringify([...changes].map(([f, doc]) => [f.path, doc]))}`;
    let draft = this.drafts.get(key);
    if (!draft) {
      const r = loadDraft(snapshot, changes);
      draft = 'config' in r ? { config: r.config, decider: new CallDecider(r.config) } : r;
      if (this.drafts.size >= MAX_CACHED_DRAFTS) this.drafts.delete(this.drafts.keys().next().value!);
      this.drafts.set(key, draft);
    }
    if ('issues' in draft) throw new DesignerDraftInvalidError(draft.issues);
    return draft;
  }

  private staffedQueues(): Promise<string[]> {
    this.staffingQueues ??= loadStaffingFile(this.env.designer.staffingFile).then(
      (r) => r.staffing.queues.map((q) => q.id),
      () => [],
    );
    return this.staffingQueues;
  }
}
