/**
 * One SIP WebSocket connection (RFC 7118): frame framing (one message per
 * text or binary frame, §5), keep-alive by WebSocket ping with a pong
 * deadline (RFC 7118 §6 leaves the mechanism to the server; JsSIP sends no
 * keep-alive of its own), a bounded send backlog, and one report when the
 * connection ends, whatever ended it.
 */
import { isUtf8 } from 'node:buffer';
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../../log.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { receive, type ReceiveContext } from './inbound.ts';
import { flowFields } from './routing.ts';
import type { FlowCloseReason, FlowClosed, SendCallback, WsFlow } from './types.ts';

/** ws's OPEN readyState (RFC 6455 §4.1 "_The WebSocket Connection is Established_"). */
const OPEN = 1;

export interface KeepAlive {
  /** Ping every this many ms; 0 turns pinging off. */
  readonly pingIntervalMs: number;
  /** A pong must arrive this many ms after the ping, or the connection is dead. */
  readonly pongTimeoutMs: number;
}

export interface ConnectionDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly keepAlive: KeepAlive;
  /** Bytes a connection may have queued; beyond it the client is too slow and is dropped. */
  readonly maxBufferedBytes: number;
  /** Receive context; its onMessage sees every parsed message of this connection. */
  readonly ctx: ReceiveContext;
  /** Called exactly once, after the connection is gone. */
  readonly ended: (conn: WsConnection, event: FlowClosed) => void;
}

export class WsConnection {
  /** `.invalid` hosts and other aliases this connection answers to (see WsTransport.connectionFor). */
  readonly aliases = new Set<string>();
  private reason: FlowCloseReason | undefined;
  private pingTimer: TimerHandle | undefined;
  private pongTimer: TimerHandle | undefined;
  private done = false;

  constructor(
    readonly flow: WsFlow,
    private readonly ws: WebSocket,
    private readonly deps: ConnectionDeps,
  ) {
    ws.on('message', (data) => this.onFrame(data));
    ws.on('pong', () => this.onPong());
    ws.on('error', (err) => this.onError(err));
    ws.on('close', (code) => this.end(code));
    this.schedulePing();
  }

  /**
   * Sends one message as one frame: text when it is UTF-8 (JsSIP reads
   * binary frames as Latin-1), binary otherwise. False when the connection
   * is gone or its backlog is full (the connection is then dropped).
   */
  send(data: Buffer, done?: SendCallback): boolean {
    if (this.done || this.ws.readyState !== OPEN) return false;
    if (this.ws.bufferedAmount + data.length > this.deps.maxBufferedBytes) {
      this.deps.log.warn(
        { ...flowFields(this.flow), buffered: this.ws.bufferedAmount },
        'SIP WebSocket client is not reading: send backlog full, dropping the connection',
      );
      this.kill('backlog');
      return false;
    }
    this.ws.send(data, { binary: !isUtf8(data) }, done);
    return true;
  }

  /** Closes with a close frame (1001 on shutdown, RFC 6455 §7.4.1) and reports at once. */
  close(reason: FlowCloseReason, code = 1001): void {
    this.reason ??= reason;
    try {
      this.ws.close(code, 'SIP stack shutting down');
    } catch {
      this.ws.terminate();
    }
    this.end(code);
  }

  private kill(reason: FlowCloseReason): void {
    this.reason ??= reason;
    this.ws.terminate(); // 'close' follows and ends the connection
  }

  private onFrame(data: RawData): void {
    if (this.done) return;
    const buf = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    receive(buf, this.flow, this.deps.ctx, (reply) => this.send(reply));
  }

  private onError(err: Error & { code?: string }): void {
    // ws closes with 1009 itself when a frame exceeds maxPayload (RFC 6455 §7.4.1).
    const tooLarge = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    this.reason ??= tooLarge ? 'too-large' : 'error';
    const fields = { ...flowFields(this.flow), err: err.message };
    if (tooLarge) this.deps.log.warn(fields, 'SIP WebSocket frame over 64 KiB refused (1009)');
    else this.deps.log.info(fields, 'SIP WebSocket error');
  }

  private schedulePing(): void {
    const { pingIntervalMs } = this.deps.keepAlive;
    if (pingIntervalMs <= 0 || this.done) return;
    this.pingTimer = this.deps.clock.setTimer(pingIntervalMs, () => this.ping());
  }

  private ping(): void {
    this.pingTimer = undefined;
    if (this.done) return;
    this.pongTimer = this.deps.clock.setTimer(this.deps.keepAlive.pongTimeoutMs, () =>
      this.noPong(),
    );
    try {
      this.ws.ping();
    } catch {
      this.kill('error');
    }
  }

  private onPong(): void {
    if (this.pongTimer === undefined) return; // unsolicited pong (RFC 6455 §5.5.3): ignore
    this.deps.clock.clearTimer(this.pongTimer);
    this.pongTimer = undefined;
    this.schedulePing();
  }

  private noPong(): void {
    this.pongTimer = undefined;
    this.deps.log.info(flowFields(this.flow), 'SIP WebSocket did not answer ping: dropping it');
    this.kill('dead');
  }

  private end(code: number | undefined): void {
    if (this.done) return;
    this.done = true;
    if (this.pingTimer !== undefined) this.deps.clock.clearTimer(this.pingTimer);
    if (this.pongTimer !== undefined) this.deps.clock.clearTimer(this.pongTimer);
    this.pingTimer = this.pongTimer = undefined;
    this.deps.ended(this, { flow: this.flow, reason: this.reason ?? 'closed', code });
  }
}
