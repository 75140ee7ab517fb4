/**
 * Where the phone talks to: the gateway's API and SIP WebSocket share the
 * page's origin (DESIGN.md: one port for HTTP(S) and WebSocket), so both
 * are built from it — wss: on an https: page, ws: on http: (loopback only).
 */

/** ws(s)://<host of origin><path>; an absolute ws(s) URL passes through. */
export function wsUrl(origin: string, wsPath: string): string {
  if (/^wss?:\/\//i.test(wsPath)) return wsPath;
  const url = new URL(wsPath.startsWith('/') ? wsPath : `/${wsPath}`, origin);
  if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol === 'http:') url.protocol = 'ws:';
  else throw new TypeError(`cannot reach a WebSocket from a ${url.protocol} origin`);
  return url.href;
}

/** An API path (/api/…) on the origin. */
export function apiUrl(origin: string, path: string): string {
  return new URL(path, origin).href;
}

/** host[:port] of a SIP AOR such as "sip:alice@example.com" (what JsSIP calls hostport). */
export function domainOf(aor: string): string {
  const m = /^sips?:(?:[^@]*@)?([^;?>]+)/i.exec(aor.trim());
  const domain = m?.[1];
  if (domain === undefined || domain === '') throw new TypeError(`not a SIP URI: "${aor}"`);
  return domain;
}

/** The page's origin; tests and the e2e harness may name another. */
export function defaultOrigin(): string {
  return globalThis.location.origin;
}
