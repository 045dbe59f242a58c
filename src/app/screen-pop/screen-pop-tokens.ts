/** Injection tokens of the agent screen pops. */
export const SCREEN_POP_STREAMS = Symbol('SCREEN_POP_STREAMS');
export const SCREEN_POP_SETTINGS = Symbol('SCREEN_POP_SETTINGS');
