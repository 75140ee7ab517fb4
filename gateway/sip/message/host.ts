/**
 * Hosts of SIP URIs and Via sent-by (RFC 3261 §25.1 host; RFC 5118 for IPv6
 * references). Hosts are handled lower-cased; IPv6 references keep brackets.
 */

/** host = hostname / IPv4address / IPv6reference */
export function isHost(host: string): boolean {
  if (host.charCodeAt(0) === 0x5b) {
    return host.charCodeAt(host.length - 1) === 0x5d && isIPv6(host.slice(1, -1));
  }
  return isIPv4(host) || isHostname(host);
}

/** IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT, each ≤ 255. */
export function isIPv4(s: string): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || value > 255 || ++parts > 4) return false;
      digits = 0;
      value = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      value = value * 10 + c - 0x30;
      digits++;
    } else return false;
  }
  return parts === 4;
}

/**
 * hostname = *( domainlabel "." ) toplabel [ "." ]; labels are alphanum with
 * inner "-", and the top label starts with a letter (so "999.1.1.1" is
 * neither a hostname nor an IPv4 address). One pass, no allocation.
 */
export function isHostname(s: string): boolean {
  let n = s.length;
  if (n > 1 && s.charCodeAt(n - 1) === 0x2e) n--; // the optional final "."
  if (n === 0 || n > 255) return false;
  let labelStart = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      const len = i - labelStart;
      if (len === 0 || len > 63 || s.charCodeAt(i - 1) === 0x2d) return false;
      if (i === n) return isAlpha(s.charCodeAt(labelStart));
      labelStart = i + 1;
    } else if (!isAlnum(c) && (c !== 0x2d || i === labelStart)) return false;
  }
  return false;
}

function isAlpha(c: number): boolean {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || isAlpha(c);
}

/**
 * IPv6address as RFC 5954 §4.1 corrected RFC 3261's ABNF (the RFC 4291 /
 * RFC 3986 form): eight 16-bit hex groups, one "::" standing for one or more
 * zero groups, optionally a dotted IPv4 address as the last two groups. The
 * three-colon "2001:db8:::192.0.2.1" that the old ABNF let through (RFC 5118
 * §4.10) is not an address.
 */
export function isIPv6(s: string): boolean {
  return expandIPv6(s) !== undefined;
}

/** The eight groups of an IPv6 address, or undefined when it is not one. */
function expandIPv6(s: string): number[] | undefined {
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0 || s.length > 45) return undefined;
  let tail: number[] = [];
  let body = s;
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    if (!isIPv4(last)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
    tail = [(a << 8) | b, (c << 8) | d];
    body = s.slice(0, lastColon + 1) + 'x';
  }
  const dbl = body.indexOf('::');
  if (dbl >= 0 && body.indexOf('::', dbl + 1) >= 0) return undefined;
  const head = groups(dbl >= 0 ? body.slice(0, dbl) : body, tail.length > 0 && dbl < 0);
  const rest = dbl >= 0 ? groups(body.slice(dbl + 2), tail.length > 0) : [];
  if (head === undefined || rest === undefined) return undefined;
  const count = head.length + rest.length + tail.length;
  if (dbl < 0 ? count !== 8 : count > 7) return undefined;
  const zeros = new Array<number>(8 - count).fill(0);
  return [...head, ...zeros, ...rest, ...tail];
}

/** Parses "a:b:c" hex groups; "x" at the end marks where an IPv4 tail was. */
function groups(s: string, hasV4Tail: boolean): number[] | undefined {
  if (s === '' || (hasV4Tail && s === 'x')) return [];
  const parts = s.split(':');
  if (hasV4Tail && parts.pop() !== 'x') return undefined;
  const out: number[] = [];
  for (const g of parts) {
    if (g.length === 0 || g.length > 4) return undefined;
    const v = parseInt(g, 16);
    if (!/^[0-9a-fA-F]+$/.test(g)) return undefined;
    out.push(v);
  }
  return out;
}

/** Host equality: case-insensitive; IPv6 references compare by value (RFC 5118 §4.3). */
export function hostEquals(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.charCodeAt(0) !== 0x5b || b.charCodeAt(0) !== 0x5b)
    return a.toLowerCase() === b.toLowerCase();
  const x = expandIPv6(a.slice(1, -1));
  const y = expandIPv6(b.slice(1, -1));
  return x !== undefined && y !== undefined && x.every((v, i) => v === y[i]);
}
