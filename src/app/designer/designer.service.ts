import { Inject, Injectable } from '@nestjs/common';
import type { ConfigIssue } from '../../core/config/config-error.js';
import { toDot } from '../../core/designer/dot-diagram.js';
import { flowDiagram } from '../../core/designer/flow-diagram.js';
import { renderSvg } from '../../core/designer/svg-render.js';
import { repoPath } from '../../core/editing/editable-files.js';
import { FlowLoopError } from '../../core/flows/ivr-player.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import type { CustomerProfile } from '../../core/profile/customer-profile.js';
import type { ConfigStatus } from '../config/config-status.js';
import type { AppEnv } from '../config/app-env.js';
import { APP_ENV, CONFIG_STATUS, CONFIG_VERSIONS } from '../tokens.js';
import { DesignerFlowNotFoundError, DesignerWalkError } from './designer-errors.js';
import { readDesignerWalkRequest } from './designer-request.js';
import { walkForDesigner, type DesignerWalkResult } from './designer-walk.js';

/** The configuration being served, and the last reload that was refused (as /health reports it). */
export interface DesignerConfigState {
  version: string;
  loadedAt: string;
  reloads: number;
  lastError: { at: string; message: string; issues: ConfigIssue[] } | null;
}

export interface DesignerFlow {
  id: string;
  segment: string;
  title: string;
}

export interface DesignerCustomer {
  phone: string;
  segment: string;
  flowId: string | null;
  profile: CustomerProfile;
}

export type DesignerTryResult = DesignerWalkResult & { config: DesignerConfigState };

/** Diagrams kept rendered (per configuration version and flow); Graphviz takes a while on a large flow. */
const MAX_CACHED_DIAGRAMS = 64;

/**
 * The designer page's data, always from the configuration live calls use now: its flows as
 * diagrams, its customers, and calls walked through its decider.
 */
@Injectable()
export class DesignerService {
  private readonly diagrams = new Map<string, Promise<string>>();

  constructor(
    @Inject(CONFIG_VERSIONS) private readonly versions: ConfigVersions,
    @Inject(CONFIG_STATUS) private readonly status: ConfigStatus,
    @Inject(APP_ENV) private readonly env: AppEnv,
  ) {}

  overview(): { config: DesignerConfigState; flows: DesignerFlow[] } {
    const flows = [...this.versions.current.config.flows.flows.values()].map((f) => ({ id: f.id, segment: f.segment, title: f.source.meta.title ?? f.id }));
    return { config: this.configState(), flows };
  }

  customers(): { customers: DesignerCustomer[] } {
    const live = this.versions.current;
    const customers = [...live.config.customers.all()].map((profile) => {
      const segment = live.decider.segmentFor({ profile }).id;
      return { phone: profile.phone, segment, flowId: live.config.flows.bySegment.get(segment)?.id ?? null, profile };
    });
    return { customers };
  }

  /**
   * The shared sub-flows being served (flows/shared/*.json), parsed, by repository path: the
   * editor draws them in place inside the states that run them. They are not edited there.
   */
  subflows(): { subflows: Record<string, unknown> } {
    const sources = this.versions.current.config.sources ?? new Map<string, string>();
    const subflows: Record<string, unknown> = {};
    for (const [file, text] of sources) {
      const path = repoPath(file, this.env.configPaths);
      if (/^flows\/shared\/[^/]+\.json$/.test(path)) subflows[path] = JSON.parse(text) as unknown;
    }
    return { subflows };
  }

  /** The flow as the engine runs it (sub-flows inlined, hot keys expanded), drawn by Graphviz. */
  diagramSvg(flowId: string): Promise<string> {
    const config = this.versions.current.config;
    const flow = config.flows.flows.get(flowId);
    if (!flow) throw new DesignerFlowNotFoundError(flowId, [...config.flows.flows.keys()]);
    const key = `${config.version}\u0000${flowId}`;
    let svg = this.diagrams.get(key);
    if (!svg) {
      if (this.diagrams.size >= MAX_CACHED_DIAGRAMS) this.diagrams.clear();
      svg = renderSvg(toDot(flowDiagram(flow)));
      this.diagrams.set(key, svg);
      svg.catch(() => this.diagrams.delete(key));
    }
    return svg;
  }

  try(body: unknown): DesignerTryResult {
    const req = readDesignerWalkRequest(body);
    try {
      return { ...walkForDesigner(this.versions.current.decider, req), config: this.configState() };
    } catch (err) {
      if (err instanceof FlowLoopError) throw new DesignerWalkError(err.message);
      throw err;
    }
  }

  configState(): DesignerConfigState {
    const e = this.status.lastError;
    return {
      version: this.versions.current.config.version,
      loadedAt: new Date(this.status.loadedAt).toISOString(),
      reloads: this.status.reloads,
      lastError: e ? { at: new Date(e.at).toISOString(), message: e.message, issues: e.issues } : null,
    };
  }
}
