/**
 * JsSIP's UA configuration for a Session, without the socket (which needs
 * JsSIP itself): pure, so it is tested without a gateway.
 */
import type { UAConfiguration } from 'jssip/lib/UA.js';
import type { Session } from '#shared/api.ts';
import { domainOf, wsUrl } from './urls.ts';

export const USER_AGENT = 'Linegate PWA';

/**
 * WebSocket reconnect back-off, seconds (JsSIP: 2–30). A phone must come
 * back fast after a gateway restart or a network change; 20 s at most
 * keeps a long outage from leaving it deaf for long after the gateway
 * returns (the online/visibility kick skips the wait anyway).
 */
export const RECOVERY_MIN_S = 2;
export const RECOVERY_MAX_S = 20;

export interface UaSettings {
  /** Where the SIP WebSocket is: ws(s)://<origin host><wsPath>. */
  readonly wsUrl: string;
  /** host[:port] of the AOR: the domain of call targets. */
  readonly domain: string;
  readonly config: Omit<UAConfiguration, 'sockets'>;
  /** RTCPeerConnection configuration of every call. */
  readonly pcConfig: RTCConfiguration;
}

export function uaSettings(session: Session, origin: string, instanceId: string): UaSettings {
  const { sip } = session;
  return {
    wsUrl: wsUrl(origin, sip.wsPath),
    domain: domainOf(sip.uri),
    config: {
      uri: sip.uri,
      authorization_user: sip.authUser,
      password: sip.password,
      display_name: session.user.displayName,
      register: true,
      session_timers: true,
      user_agent: USER_AGENT,
      // RFC 5626 +sip.instance: the same device after a reconnect, so the
      // gateway replaces its binding rather than adding one (instance-id.ts).
      instance_id: instanceId,
      connection_recovery_min_interval: RECOVERY_MIN_S,
      connection_recovery_max_interval: RECOVERY_MAX_S,
    },
    pcConfig: { iceServers: sip.iceServers.map(iceServer) },
  };
}

/** Whether a fresh session asks for another SIP identity than the running UA's. */
export function sameSipIdentity(a: Session, b: Session): boolean {
  return (
    a.sip.uri === b.sip.uri &&
    a.sip.authUser === b.sip.authUser &&
    a.sip.password === b.sip.password &&
    a.sip.wsPath === b.sip.wsPath
  );
}

/**
 * One configured ICE server (shared/api.ts): "stun:host:port" as it is;
 * "turn:user:password@host:port" (or turns:) becomes RTCIceServer's
 * { urls, username, credential } — a TURN URL may not carry credentials.
 */
export function iceServer(url: string): { urls: string; username?: string; credential?: string } {
  const m = /^(turns?):([^:@]+):([^@]*)@(.+)$/.exec(url);
  if (m === null) return { urls: url };
  const [, scheme, username, credential, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    urls: `${scheme}:${rest}`,
    username: decodeURIComponent(username),
    credential: decodeURIComponent(credential),
  };
}
