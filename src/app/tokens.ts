/** Injection tokens of the service; every constructor dependency names one explicitly. */
export const APP_ENV = Symbol('APP_ENV');
export const LOGGER = Symbol('LOGGER');
export const CLOCK = Symbol('CLOCK');
export const REDIS = Symbol('REDIS');
export const CONFIG_VERSIONS = Symbol('CONFIG_VERSIONS');
export const CONFIG_STATUS = Symbol('CONFIG_STATUS');
export const CALL_STATE_STORE = Symbol('CALL_STATE_STORE');
export const TRACE_SINK = Symbol('TRACE_SINK');
export const LIVE_CALLS = Symbol('LIVE_CALLS');
/** The ivr-sim command line (a script for `node`): the flow editor runs comparisons in it, as a process of their own. */
export const CLI_SCRIPT = Symbol('CLI_SCRIPT');
