import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { SavedVersion } from '../../core/editing/version-history.js';
import type { DraftCheckResult } from '../../core/editing/draft-check-worker.js';
import { ServedOn } from '../listeners/listener.js';
import { DesignerCompareService, type DraftCompareResult } from './designer-compare.service.js';
import { DesignerEditService, type DraftTryResult, type EditorWorkspace } from './designer-edit.service.js';
import { DesignerPublishService, type SaveResult } from './designer-publish.service.js';

/** The flow editor's API: the workspace, drafts checked, tried, drawn and compared, saves and their history. */
@Controller('designer/api')
@ServedOn('internal')
export class DesignerEditController {
  constructor(
    @Inject(DesignerEditService) private readonly editor: DesignerEditService,
    @Inject(DesignerPublishService) private readonly publisher: DesignerPublishService,
    @Inject(DesignerCompareService) private readonly comparer: DesignerCompareService,
  ) {}

  @Get('workspace')
  workspace(): Promise<EditorWorkspace> {
    return this.editor.workspace();
  }

  @Post('check')
  @HttpCode(200)
  check(@Body() body: unknown): Promise<DraftCheckResult & { version: string }> {
    return this.editor.check(body);
  }

  @Post('try')
  @HttpCode(200)
  try(@Body() body: unknown): DraftTryResult {
    return this.editor.try(body);
  }

  @Post('diagram')
  @HttpCode(200)
  diagram(@Body() body: unknown): Promise<{ svg: string }> {
    return this.editor.diagram(body);
  }

  /** Runs for seconds, in a process of its own. */
  @Post('compare')
  @HttpCode(200)
  compare(@Body() body: unknown): Promise<DraftCompareResult> {
    return this.comparer.compare(body);
  }

  @Post('save')
  @HttpCode(200)
  save(@Body() body: unknown): Promise<SaveResult> {
    return this.publisher.save(body);
  }

  @Get('versions')
  versions(): { versions: SavedVersion[] } {
    return this.publisher.versions();
  }

  @Post('versions/:id/restore')
  @HttpCode(200)
  restore(@Param('id') id: string, @Body() body: unknown): Promise<SaveResult> {
    return this.publisher.restore(id, body);
  }
}
