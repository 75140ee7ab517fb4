/**
 * SIP over UDP (RFC 3261 §18): one datagram socket, one message per
 * datagram. Requests are stamped with received/rport (RFC 3581 §4) on the
 * way in; CRLF keep-alives are answered (RFC 5626 §4.4.1); our requests
 * carry sent-by = sip.publicAddress (or the bound address) and ";rport"
 * (RFC 3581 §3) — see viaFor().
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { LinegateError } from '#shared/errors.ts';
import type { Logger } from '../../log.ts';
import { realClock, type Clock } from './clock.ts';
import { receive, type ReceiveContext } from './inbound.ts';
import { LogBudget } from './log-budget.ts';
import { hostForVia } from './routing.ts';
import type { InboundHandler, SendCallback, UdpFlow } from './types.ts';

/**
 * The largest UDP payload over IPv4 (65535 − 20 − 8). Anything bigger cannot
 * be one datagram, so it is refused here rather than failing in the kernel.
 */
export const MAX_DATAGRAM = 65_507;
/** Socket buffers sized for bursts of signalling (the kernel may cap them). */
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

export interface UdpOptions {
  host: string;
  /** 0 lets the OS choose (tests); the bound port is in `address`. */
  port: number;
  /** The address peers reach us at, for our Via sent-by (and Contact). */
  publicAddress?: string | undefined;
}

export interface UdpTransportOptions extends UdpOptions {
  log: Logger;
  onMessage: InboundHandler;
  clock?: Clock;
}

export class UdpTransport {
  /** Host and port our Via sent-by carries (§18.1.1). */
  readonly sentBy: string;
  private closed = false;
  private readonly ctx: ReceiveContext;
  private readonly budget: LogBudget;

  private constructor(
    private readonly socket: Socket,
    readonly address: { readonly address: string; readonly port: number },
    publicAddress: string | undefined,
    private readonly log: Logger,
    onMessage: InboundHandler,
    clock: Clock,
  ) {
    this.sentBy = `${hostForVia(publicAddress ?? viaAddress(address.address, log))}:${address.port}`;
    this.budget = new LogBudget(log, clock);
    this.ctx = { framing: 'datagram', log, budget: this.budget, onMessage };
    socket.on('message', (data, rinfo) => this.onDatagram(data, rinfo));
    socket.on('error', (err) => log.error({ err }, 'UDP socket error'));
  }

  static async open(opts: UdpTransportOptions): Promise<UdpTransport> {
    const socket = createSocket({ type: isIPv6(opts.host) ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (cause) => {
        socket.close();
        reject(
          new LinegateError(
            'config.invalid',
            `sip: cannot bind UDP ${opts.host}:${opts.port}: ${cause.message}`,
            {
              cause,
              details: { key: 'sip.port' },
            },
          ),
        );
      });
      socket.bind(opts.port, opts.host, () => resolve());
    });
    socket.removeAllListeners('error');
    tuneBuffers(socket, opts.log);
    const bound = socket.address();
    const t = new UdpTransport(
      socket,
      { address: bound.address, port: bound.port },
      opts.publicAddress,
      opts.log,
      opts.onMessage,
      opts.clock ?? realClock,
    );
    opts.log.info(
      { address: bound.address, port: bound.port, sentBy: t.sentBy },
      'SIP UDP listening',
    );
    return t;
  }

  /**
   * Sends one datagram. False when it cannot even be tried (closed, too
   * large); otherwise true, and `done` learns of a later failure (DNS,
   * socket error).
   */
  send(data: Buffer, host: string, port: number, done?: SendCallback): boolean {
    if (this.closed) return false;
    if (data.length > MAX_DATAGRAM) {
      this.log.warn(
        { bytes: data.length, to: `${host}:${port}` },
        'SIP message too large for UDP: not sent',
      );
      return false;
    }
    this.socket.send(data, port, host, done ?? this.logFailure);
    return true;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private readonly logFailure = (err: Error | null): void => {
    if (err) this.budget.debug(() => ({ err }), 'UDP send failed');
  };

  private onDatagram(data: Buffer, rinfo: RemoteInfo): void {
    const flow: UdpFlow = {
      transport: 'udp',
      remoteAddress: rinfo.address,
      remotePort: rinfo.port,
      localAddress: this.address.address,
      localPort: this.address.port,
    };
    receive(data, flow, this.ctx, (reply) => this.send(reply, rinfo.address, rinfo.port));
  }
}

function tuneBuffers(socket: Socket, log: Logger): void {
  try {
    socket.setRecvBufferSize(SOCKET_BUFFER_BYTES);
    socket.setSendBufferSize(SOCKET_BUFFER_BYTES);
  } catch (err) {
    log.debug({ err }, 'UDP socket buffer sizes left at the system default');
  }
}

/**
 * A bound wildcard address ("0.0.0.0", "::") is no sent-by: take the first
 * external address of the host and say so, since sip.publicAddress is the
 * right fix.
 */
function viaAddress(bound: string, log: Logger): string {
  if (bound !== '0.0.0.0' && bound !== '::') return bound;
  const family = bound === '::' ? 'IPv6' : 'IPv4';
  for (const list of Object.values(networkInterfaces())) {
    for (const ni of list ?? []) {
      if (!ni.internal && ni.family === family && isIP(ni.address) !== 0) {
        log.warn(
          { via: ni.address },
          'sip.host is a wildcard: set sip.publicAddress; using an interface address in Via',
        );
        return ni.address;
      }
    }
  }
  return family === 'IPv6' ? '::1' : '127.0.0.1';
}
