import { Agent as HttpAgent } from 'node:http';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Send the REST calls here instead of https://api.twilio.com (a stand-in for tests and benchmarks). */
  apiBaseUrl?: string | null;
  /** Per request, ms (default 15 000): a slow Twilio is a retryable failure, not a stuck worker. */
  timeoutMs?: number;
}

/**
 * Twilio's own HTTP client, with every request's origin replaced by `baseUrl`: the path, the form
 * body, the basic auth stay exactly as the library builds them.
 */
class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, opts: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.base = new URL(baseUrl);
    // The library keeps its HTTPS connections alive; do the same for a plain-HTTP stand-in.
    this.axios.defaults.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 100 });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    const target = new URL(this.base.href.replace(/\/+$/, '') + uri.pathname + uri.search);
    return super.request<TData>({ ...opts, uri: target.href });
  }
}

/** The real `twilio` client, optionally pointed at a stand-in. */
export function createTwilioClient(opts: TwilioClientOptions): twilio.Twilio {
  const timeout = opts.timeoutMs ?? 15_000;
  const httpClient = opts.apiBaseUrl ? new BaseUrlRequestClient(opts.apiBaseUrl, { timeout }) : new twilio.RequestClient({ timeout });
  return twilio(opts.accountSid, opts.authToken, { httpClient, timeout });
}
