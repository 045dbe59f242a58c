import { builtPage, type Page } from './html-page.js';

/**
 * GET /designer: try the flows being served in a browser (src/app/pages/designer/): a flow's
 * diagram, a caller, the keypad, what the caller hears and the decision with the rules that fired.
 */
export const DESIGNER_PAGE: Page = builtPage('designer');
