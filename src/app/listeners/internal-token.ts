import { createHash, timingSafeEqual } from 'node:crypto';

/** The cookie a page gets once it was opened with the right `?token=`. */
export const ACCESS_COOKIE = 'ivr_sim_internal';

/** The tokens a request presents, wherever it carries them. */
export interface PresentedTokens {
  /** `Authorization: Bearer …` (API clients). Other schemes, such as a sign-on proxy's Basic, are not ours and are ignored. */
  bearer: string | null;
  /** `?token=…` in the URL (opening a page the first time). */
  query: string[];
  /** The access cookie (pages and their event streams after that). */
  cookie: string | null;
}

export interface TokenSources {
  authorization: string | undefined;
  cookie: string | undefined;
  /** Path and query as requested. */
  url: string;
}

export function presentedTokens(src: TokenSources): PresentedTokens {
  const bearer = /^Bearer[ ]+(\S+)\s*$/i.exec(src.authorization ?? '')?.[1] ?? null;
  const q = src.url.indexOf('?');
  const query = q < 0 ? [] : new URLSearchParams(src.url.slice(q + 1)).getAll('token');
  return { bearer, query, cookie: cookieValue(src.cookie, ACCESS_COOKIE) };
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Compares in constant time (over fixed-length digests, so neither the content nor the length of the token leaks). */
export function sameToken(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export type AccessVerdict = { ok: true; setCookie: boolean } | { ok: false; reason: 'missing' | 'invalid' };

/**
 * Whether the request may see internal pages: any presented token that matches lets it in
 * (a proxy in front may add credentials of its own). A matching `?token=` also sets the cookie.
 */
export function checkAccess(expected: string, presented: PresentedTokens): AccessVerdict {
  const candidates = [
    ...(presented.bearer === null ? [] : [{ token: presented.bearer, from: 'bearer' }]),
    ...presented.query.map((token) => ({ token, from: 'query' })),
    ...(presented.cookie === null ? [] : [{ token: presented.cookie, from: 'cookie' }]),
  ];
  if (candidates.length === 0) return { ok: false, reason: 'missing' };
  // Every candidate is compared, so the time taken does not say which one matched.
  const matched = candidates.filter((c) => sameToken(c.token, expected));
  if (matched.length === 0) return { ok: false, reason: 'invalid' };
  return { ok: true, setCookie: matched.some((c) => c.from === 'query') };
}

/** Set-Cookie for the access cookie: not readable by scripts, never sent with requests from other sites. */
export function accessCookie(token: string, secure: boolean): string {
  return `${ACCESS_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
