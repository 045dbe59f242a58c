/**
 * What the designer's API answers, as the service's controller declares it: a change there that
 * this page does not follow fails `npm run typecheck`.
 */
import type { DesignerController } from '../../designer/designer.controller.js';
import type { DesignerWalkRequest } from '../../designer/designer-walk.js';

type Answer<K extends keyof DesignerController> = DesignerController[K] extends (...args: never[]) => infer R ? Awaited<R> : never;

/** GET /designer/flows */
export type FlowsAnswer = Answer<'flows'>;
/** GET /designer/customers */
export type CustomersAnswer = Answer<'customers'>;
/** POST /designer/try */
export type TryAnswer = Answer<'try'>;
/** What POST /designer/try reads. */
export type TryRequest = DesignerWalkRequest;

export type ConfigState = FlowsAnswer['config'];
export type Flow = FlowsAnswer['flows'][number];
export type Customer = CustomersAnswer['customers'][number];
export type Decision = TryAnswer['decision'];
export type TranscriptEntry = NonNullable<Decision['transcript']>[number];

import type { DesignerEditController } from '../../designer/designer-edit.controller.js';

type EditAnswer<K extends keyof DesignerEditController> = DesignerEditController[K] extends (...args: never[]) => infer R ? Awaited<R> : never;
/** POST /designer/api/try: a walk through the draft. */
export type DraftTryAnswer = EditAnswer<'try'>;
/** POST /designer/api/check */
export type DraftCheckAnswer = EditAnswer<'check'>;
/** POST /designer/api/save and /designer/api/versions/:id/restore */
export type SaveAnswer = EditAnswer<'save'>;
/** GET /designer/api/versions */
export type VersionsAnswer = EditAnswer<'versions'>;
