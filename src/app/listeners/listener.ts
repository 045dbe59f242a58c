import { SetMetadata } from '@nestjs/common';

/**
 * The two HTTP listeners of the service. `public` faces Twilio (webhooks, /health); `internal`
 * serves everything that shows customer data (pages, their APIs, event streams, counters).
 */
export type Listener = 'public' | 'internal';

export const SERVED_ON = 'ivr-sim:served-on';

/**
 * The listeners a controller or handler is served on (the handler's own setting wins). A route
 * without it is internal only: the public listener is an allow-list, so a route added later
 * cannot reach the public port by being forgotten.
 */
export const ServedOn = (...listeners: [Listener, ...Listener[]]) => SetMetadata(SERVED_ON, listeners);

export const DEFAULT_SERVED_ON: readonly Listener[] = ['internal'];

const internalRequests = new WeakSet<object>();

/** Called by the internal listener's server for each request it accepts. */
export function markInternal(req: object): void {
  internalRequests.add(req);
}

/** Which listener accepted a request. Anything not marked internal counts as public, the lesser of the two. */
export function listenerOf(req: object): Listener {
  return internalRequests.has(req) ? 'internal' : 'public';
}

/** Loopback addresses: an internal listener there is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
