/**
 * Routing as a UA sees it (RFC 3261 §12.2.1.1, §16.12, §8.1.2): how a route
 * set and a target become a Request-URI and Route header fields, and where
 * the finished request goes next.
 *
 * A loose router (RFC 3261, "lr" in its URI) leaves the Request-URI alone
 * and is reached through the top Route; a strict router (RFC 2543) expects
 * to find itself in the Request-URI and the real target at the end of the
 * Route list (§16.12 "loose routing", §12.2.1.1).
 */
import { routes } from '../message/headers.ts';
import type { NameAddr, SipRequest, SipUri, Uri } from '../message/types.ts';

/** Deep copies, so that a request never shares mutable Maps with a dialog. */
export function cloneUri(uri: Uri): Uri {
  if (uri.kind === 'absolute') return { ...uri };
  return { ...uri, params: new Map(uri.params), headers: new Map(uri.headers) };
}

export function cloneNameAddr(na: NameAddr): NameAddr {
  return { displayName: na.displayName, uri: cloneUri(na.uri), params: new Map(na.params) };
}

/** A route entry names a loose router when its URI carries "lr" (§19.1.1, §16.12). */
export function isLooseRoute(route: NameAddr): boolean {
  return route.uri.kind === 'sip' && route.uri.params.has('lr');
}

/** The Request-URI and Route values of a request toward `target` (§12.2.1.1). */
export interface RoutedRequest {
  readonly requestUri: Uri;
  readonly route: readonly NameAddr[];
}

/**
 * §12.2.1.1 (and §8.1.1.1 for a pre-existing route set outside a dialog):
 * - empty route set: Request-URI = target, no Route;
 * - first route loose: Request-URI = target, Route = the route set in order;
 * - first route strict: Request-URI = the first route's URI without the
 *   parts a Request-URI may not hold, Route = the rest of the route set,
 *   then the target as the last value.
 * Everything returned is a copy.
 */
export function routeRequest(routeSet: readonly NameAddr[], target: Uri): RoutedRequest {
  const first = routeSet[0];
  if (first === undefined) return { requestUri: cloneUri(target), route: [] };
  if (isLooseRoute(first))
    return { requestUri: cloneUri(target), route: routeSet.map(cloneNameAddr) };
  const last: NameAddr = { displayName: undefined, uri: cloneUri(target), params: new Map() };
  return {
    requestUri: asRequestUri(first.uri),
    route: [...routeSet.slice(1).map(cloneNameAddr), last],
  };
}

/**
 * §19.1.1 Table 1: the "method" parameter and URI headers are not allowed
 * in a Request-URI, so §12.2.1.1 strips them when a route becomes one.
 */
function asRequestUri(uri: Uri): Uri {
  const copy = cloneUri(uri);
  if (copy.kind === 'sip') {
    copy.params.delete('method');
    copy.headers.clear();
  }
  return copy;
}

/** Where to send a request: one hop, before any DNS (RFC 3263 is the caller's business). */
export interface NextHop {
  /** The URI the hop was read from: the top Route (loose) or the Request-URI. */
  readonly uri: SipUri;
  /**
   * maddr when present (§19.1.1: it overrides the host), else the host;
   * IPv6 addresses without their brackets, ready for a socket call.
   */
  readonly host: string;
  /** The URI's port; undefined means the transport's default (5060, 5061 for TLS). */
  readonly port: number | undefined;
  /** The transport parameter, lower-cased ("udp", "tcp", "ws", "wss" …), if any. */
  readonly transport: string | undefined;
  /** A sips: URI: the hop must be reached over TLS or WSS (§19.1, §26.2.2). */
  readonly secure: boolean;
}

/**
 * §8.1.2, §12.2.1.1, §16.12: a request goes to its top Route when that
 * route is a loose router; otherwise (no Route, or a strict router, which
 * the Request-URI then already names) to the Request-URI. Undefined when
 * that URI is not a SIP URI (e.g. tel:), which a UA cannot route itself.
 * Throws LinegateError 'sip.parse' on a malformed Route header field.
 */
export function nextHop(request: SipRequest): NextHop | undefined {
  const top = routes(request)[0];
  const uri = top !== undefined && isLooseRoute(top) ? top.uri : request.uri;
  if (uri.kind !== 'sip') return undefined;
  const maddr = uri.params.get('maddr');
  const transport = uri.params.get('transport');
  return {
    uri,
    host: unbracket(typeof maddr === 'string' ? maddr : uri.host),
    port: uri.port,
    transport: typeof transport === 'string' ? transport.toLowerCase() : undefined,
    secure: uri.scheme === 'sips',
  };
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
