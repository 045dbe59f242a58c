import { builtPage, type Page } from './html-page.js';

/**
 * GET /agent: the agent desktop (src/app/pages/agent/). The agent gives an id and the queues
 * they serve; the page subscribes to /agents/:id/events and shows each caller's card the moment
 * the call is queued.
 */
export const AGENT_PAGE: Page = builtPage('agent');
