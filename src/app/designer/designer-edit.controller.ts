import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import type { DraftCheckResult } from '../../core/editing/draft-check-worker.js';
import { ServedOn } from '../listeners/listener.js';
import { DesignerEditService, type DraftTryResult, type EditorWorkspace } from './designer-edit.service.js';

/** The flow editor's API: the workspace, drafts checked, tried, drawn and compared, saves and their history. */
@Controller('designer/api')
@ServedOn('internal')
export class DesignerEditController {
  constructor(@Inject(DesignerEditService) private readonly editor: DesignerEditService) {}

  @Get('workspace')
  workspace(): Promise<EditorWorkspace> {
    return this.editor.workspace();
  }

  @Post('check')
  @HttpCode(200)
  check(@Body() body: unknown): Promise<DraftCheckResult> {
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
}
