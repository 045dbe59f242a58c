/** Where a page finds the service that served it, and what the service says when it refuses. */

/**
 * Opened once with `?token=…` (INTERNAL_TOKEN): the service has set its cookie, so the token
 * leaves the address bar and the history.
 */
export function dropAccessToken(): void {
  if (!/[?&]token=/.test(location.search)) return;
  const kept = new URLSearchParams(location.search);
  kept.delete('token');
  const query = kept.toString();
  history.replaceState(null, '', location.pathname + (query ? `?${query}` : '') + location.hash);
}

/** The service's root, also when a proxy serves it under a path (/ivr/designer → /ivr/). */
export function serviceRoot(page: string): string {
  return location.pathname.replace(new RegExp(`/${page}/?$`), '/');
}

/** The JSON body of every error answer (the service's global exception filter). */
interface ErrorBody {
  error: string;
  message: string;
}

/** The service's message for a refused request, or `fallback` when its answer has none. */
export async function refusal(res: Response, fallback: string): Promise<string> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return fallback;
  const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
  return typeof body?.message === 'string' && body.message ? body.message : fallback;
}
