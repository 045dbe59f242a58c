import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/config/package-root.js';

export interface ScreenPopSettings {
  /** Entries kept per queue stream (approximate trim): enough for a desktop to catch up after a reconnect. */
  maxLenPerQueue: number;
  /** How long one blocking read waits; a desktop gets a heartbeat comment each time it comes back empty. */
  heartbeatMs: number;
  /** Tells EventSource how soon to reconnect after the stream drops. */
  retryMs: number;
  /** Where agents without a `queues` list find their group's queues. */
  staffingFile: string;
}

export const DEFAULT_SCREEN_POP_SETTINGS: ScreenPopSettings = {
  maxLenPerQueue: 1000,
  // Below the 30-60 s idle timeouts of common proxies and load balancers.
  heartbeatMs: 15_000,
  retryMs: 3000,
  staffingFile: join(PACKAGE_ROOT, 'data', 'staffing.json'),
};
