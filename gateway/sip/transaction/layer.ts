/**
 * The transaction layer (RFC 3261 §17, RFC 6026): runs the pure machines on
 * an injected clock, matches what arrives to the transaction it belongs to
 * (§17.1.3, §17.2.3 with the RFC 2543 fallback; keys.ts), absorbs
 * retransmissions, handles CANCEL (§9.2) and passes the rest up to the TU:
 * new requests, ACKs no transaction absorbed (2xx ACKs, RFC 6026 §6), and
 * responses to the requests the TU sent. Unmatched responses are dropped
 * (§17.1.3, RFC 6026 §8.9): a 2xx for an INVITE still finds its
 * transaction, which waits in Accepted for exactly those.
 *
 * Bounded: at most `maxTransactions` live transactions; a request beyond
 * that gets 503 with Retry-After (§21.5.4) and creates nothing.
 */
import { LinegateError } from '#shared/errors.ts';
import { createResponse, generateBranch } from '../message/build.ts';
import { callId, cseq, from, prependHeader, removeHeader, tagOf, to } from '../message/headers.ts';
import { serializeMessage } from '../message/serialize.ts';
import type { HeaderField, SipRequest, SipResponse, Via } from '../message/types.ts';
import { realClock, type Clock } from '../transport/clock.ts';
import type { TransportLayer } from '../transport/hub.ts';
import { LogBudget } from '../transport/log-budget.ts';
import { flowFields, responseDestination } from '../transport/routing.ts';
import {
  isReliable,
  type Destination,
  type Flow,
  type Inbound,
  type SendCallback,
} from '../transport/types.ts';
import type { Logger } from '../../log.ts';
import { inviteClient } from './invite-client.ts';
import { inviteServer } from './invite-server.ts';
import {
  type LegacyKeyFields,
  clientTransactionKey,
  inviteKeyForCancel,
  isRfc3261Branch,
  legacyInviteKeyForCancel,
  legacyServerTransactionKey,
  serverTransactionKey,
} from './keys.ts';
import {
  ClientTxImpl,
  type ClientHandlers,
  type ClientHost,
  type ClientTransaction,
  type ClientTx,
} from './layer-client.ts';
import {
  ServerTxImpl,
  type ServerHost,
  type ServerTransaction,
  type ServerTx,
} from './layer-server.ts';
import { nonInviteClient } from './non-invite-client.ts';
import { nonInviteServer } from './non-invite-server.ts';
import { type TimerConfig, type TransactionContext, transactionContext } from './types.ts';

export type { ClientHandlers, ClientTransaction, ResponseSource } from './layer-client.ts';
export type { ServerFailure, ServerTransaction } from './layer-server.ts';

/** The transaction user: the core above the layer (RFC 3261 §8, §17). */
export interface TransactionUser {
  /** A new request (not ACK or CANCEL). Answer with tx.respond() or tx.reply(). */
  request(tx: ServerTransaction): void;
  /**
   * An ACK for the TU: one no transaction absorbed (the ACK of a 2xx has a
   * branch of its own, §17.1.1.3, RFC 6026 §6), or one that matched an
   * INVITE transaction in Accepted (`tx`, RFC 6026 §7.1).
   */
  ack(ack: SipRequest, flow: Flow, tx: ServerTransaction | undefined): void;
}

export interface LayerOptions {
  transport: TransportLayer;
  tu: TransactionUser;
  log: Logger;
  clock?: Clock;
  timers?: Partial<TimerConfig>;
  /** Live transactions (client + server) at most; default 100 000. */
  maxTransactions?: number;
  /** Retry-After of the 503 sent when over the limit; default 5 s. */
  retryAfterSeconds?: number;
}

export const DEFAULT_MAX_TRANSACTIONS = 100_000;

export class TransactionLayer {
  private readonly clients = new Map<string, ClientTx>();
  private readonly servers = new Map<string, ServerTx>();
  /** Client transactions per WebSocket connection, failed at once when it closes. */
  private readonly byConnection = new Map<string, Set<ClientTx>>();
  private readonly reliable: TransactionContext;
  private readonly unreliable: TransactionContext;
  private readonly budget: LogBudget;
  private readonly max: number;
  private readonly clientHost: ClientHost;
  private readonly serverHost: ServerHost;
  private liveCount = 0;
  private closed = false;
  readonly clock: Clock;

  constructor(private readonly opts: LayerOptions) {
    this.clock = opts.clock ?? realClock;
    this.reliable = transactionContext(true, opts.timers);
    this.unreliable = transactionContext(false, opts.timers);
    this.budget = new LogBudget(opts.log, this.clock);
    this.max = opts.maxTransactions ?? DEFAULT_MAX_TRANSACTIONS;
    const common = {
      clock: this.clock,
      log: opts.log,
      transmit: (data: Buffer, dest: Destination, done: SendCallback) =>
        opts.transport.send(data, dest, done),
      report: (err: unknown, what: string) =>
        opts.log.error({ err, what }, 'transaction user callback failed'),
    };
    this.clientHost = {
      ...common,
      sendCancel: (invite: ClientTx, cancel: SipRequest) => this.sendCancel(invite, cancel),
      removed: (tx: ClientTx) => this.removeClient(tx),
    };
    this.serverHost = {
      ...common,
      deliverAck: (ack: SipRequest, tx: ServerTx) => this.tuAck(ack, tx.flow, tx),
      fileAlias: (tx: ServerTx, key: string) => this.fileAlias(tx, key),
      removed: (tx: ServerTx) => this.removeServer(tx),
    };
  }

  /** Live transactions. */
  get size(): number {
    return this.liveCount;
  }

  /** Entry point for everything the transports parsed. Never throws. */
  receive(inbound: Inbound): void {
    if (this.closed) return;
    try {
      if (inbound.message.kind === 'response') this.receiveResponse(inbound.message, inbound);
      else this.receiveRequest(inbound.message, inbound);
    } catch (err) {
      this.opts.log.error(
        { err, ...flowFields(inbound.flow) },
        'transaction layer failed on a message',
      );
    }
  }

  /**
   * Starts a client transaction (§17.1). The layer puts its own Via on top
   * (any Via already there is replaced: the TU may resend a request object,
   * e.g. after a digest challenge) and sends. ACK of a 2xx is not a
   * transaction (sendAck); CANCEL comes from ClientTransaction.cancel().
   */
  sendRequest(req: SipRequest, dest: Destination, handlers: ClientHandlers): ClientTransaction {
    if (req.method === 'ACK' || req.method === 'CANCEL') {
      throw new LinegateError(
        'internal',
        `${req.method} is not sent with sendRequest (see sendAck, cancel())`,
      );
    }
    const branch = generateBranch();
    removeHeader(req, 'Via');
    prependHeader(req, 'Via', this.opts.transport.via(dest, branch));
    const tx = this.newClient(req, dest, branch, handlers);
    if (this.closed || this.liveCount >= this.max) {
      this.budget.warn(
        () => ({ live: this.liveCount }),
        'transaction limit reached: request not sent',
      );
      tx.refuse(
        this.closed
          ? 'Service Unavailable - SIP stack closed'
          : 'Service Unavailable - too many transactions',
      );
      return tx;
    }
    this.addClient(tx);
    tx.start();
    return tx;
  }

  /** §13.2.2.4: the ACK of a 2xx goes out on its own, new branch, no transaction. */
  sendAck(ack: SipRequest, dest: Destination): boolean {
    removeHeader(ack, 'Via');
    prependHeader(ack, 'Via', this.opts.transport.via(dest, generateBranch()));
    return this.opts.transport.send(serializeMessage(ack), dest);
  }

  /** A WebSocket closed: what was sent over it can get no answer any more (RFC 7118 §5). */
  flowClosed(connectionId: string): void {
    const set = this.byConnection.get(connectionId);
    if (set === undefined) return;
    this.byConnection.delete(connectionId);
    for (const tx of [...set]) {
      tx.transportError();
      // An INVITE in Proceeding has no timer left (§17.1.1.2); nothing would ever end it.
      if (tx.alive && tx.awaitingFinal) tx.abandon(503, 'Service Unavailable', 'transport-error');
    }
  }

  /** Drops every transaction and its timers without telling anyone (shutdown). */
  close(): void {
    this.closed = true;
    for (const tx of this.servers.values()) tx.discard();
    for (const tx of this.clients.values()) tx.discard();
    this.servers.clear();
    this.clients.clear();
    this.byConnection.clear();
    this.liveCount = 0;
  }

  // ------------------------------------------------------------ responses

  /** §17.1.3: top-Via branch and CSeq method pick the client transaction. */
  private receiveResponse(res: SipResponse, inbound: Inbound): void {
    const branch = inbound.topVia.params.get('branch');
    // §8.1.3.3: a response with more than one Via is not for a UAC.
    if (branch === undefined || branch === null || viaFields(res) > 1) {
      this.budget.debug(
        () => ({ ...flowFields(inbound.flow), status: res.status }),
        'response not for us: dropped',
      );
      return;
    }
    const tx = this.clients.get(clientTransactionKey({ branch, cseqMethod: cseq(res).method }));
    if (tx === undefined) {
      // RFC 6026 §8.9 (§17.1.3): a response matching no transaction is discarded.
      this.budget.debug(
        () => ({ ...flowFields(inbound.flow), status: res.status, branch }),
        'stray response dropped',
      );
      return;
    }
    tx.receive(res);
  }

  // ------------------------------------------------------------- requests

  private receiveRequest(req: SipRequest, inbound: Inbound): void {
    const via = inbound.topVia;
    const branch = via.params.get('branch') ?? undefined;
    const legacy = isRfc3261Branch(branch) ? undefined : legacyFields(req, via);
    const key =
      legacy === undefined
        ? serverTransactionKey({ branch: branch ?? '', sentBy: via, method: req.method })
        : legacyServerTransactionKey(legacy);
    switch (req.method) {
      case 'ACK': {
        // §17.2.3: ACK is keyed as INVITE; an IST in Completed absorbs it (non-2xx ACK).
        const tx = this.servers.get(key);
        if (tx !== undefined) tx.ack(req);
        else this.tuAck(req, inbound.flow, undefined);
        return;
      }
      case 'CANCEL':
        this.receiveCancel(req, inbound, key, branch, legacy);
        return;
      default: {
        const tx = this.servers.get(key);
        if (tx !== undefined) tx.retransmission();
        else this.newServer(req, inbound, key, legacy, (t) => this.tuRequest(t));
      }
    }
  }

  /** §9.2: CANCEL finds the INVITE it cancels, is answered 200 by us, or 481 if none. */
  private receiveCancel(
    req: SipRequest,
    inbound: Inbound,
    key: string,
    branch: string | undefined,
    legacy: LegacyKeyFields | undefined,
  ): void {
    const own = this.servers.get(key);
    if (own !== undefined) {
      own.retransmission();
      return;
    }
    const inviteKey =
      legacy === undefined
        ? inviteKeyForCancel({ branch: branch ?? '', sentBy: inbound.topVia })
        : legacyInviteKeyForCancel(legacy);
    const invite = this.servers.get(inviteKey);
    if (invite === undefined || invite.method !== 'INVITE') {
      this.stateless(req, inbound, 481, 'Call/Transaction Does Not Exist');
      return;
    }
    // Exempt from the limit: a CANCEL is how the load it guards against goes away.
    // §9.2: its 200 carries the INVITE's To tag ("SHOULD be the same").
    const toTag = invite.toTag;
    this.newServer(
      req,
      inbound,
      key,
      legacy,
      (tx) => tx.respond(createResponse(req, 200, 'OK', { toTag })),
      true,
    );
    // After the 200 went out: the 487 the cancellation leads to follows it.
    invite.cancelledBy(req);
  }

  private newServer(
    req: SipRequest,
    inbound: Inbound,
    key: string,
    legacy: LegacyKeyFields | undefined,
    deliver: (tx: ServerTx) => void,
    exempt = false,
  ): void {
    if (!exempt && this.liveCount >= this.max) {
      this.budget.warn(
        () => ({ live: this.liveCount, method: req.method }),
        'transaction limit reached: 503',
      );
      const retry = String(this.opts.retryAfterSeconds ?? 5);
      this.stateless(req, inbound, 503, 'Service Unavailable', [
        { name: 'Retry-After', value: retry },
      ]);
      return;
    }
    const dest = responseDestination(inbound.topVia, inbound.flow);
    const ctx = isReliable(dest) ? this.reliable : this.unreliable;
    const tx =
      req.method === 'INVITE'
        ? new ServerTxImpl(
            inviteServer,
            ctx,
            key,
            req,
            inbound.flow,
            dest,
            legacy,
            deliver,
            this.serverHost,
          )
        : new ServerTxImpl(
            nonInviteServer,
            ctx,
            key,
            req,
            inbound.flow,
            dest,
            legacy,
            deliver,
            this.serverHost,
          );
    this.servers.set(key, tx);
    this.liveCount++;
    tx.start();
  }

  /** A response sent without a transaction (§8.2.6; RFC 3261 §9.2 481; §21.5.4 503). */
  private stateless(
    req: SipRequest,
    inbound: Inbound,
    status: number,
    reason: string,
    headers?: HeaderField[],
  ): void {
    const res = createResponse(
      req,
      status,
      reason,
      headers === undefined ? { toTag: true } : { toTag: true, headers },
    );
    this.opts.transport.send(
      serializeMessage(res),
      responseDestination(inbound.topVia, inbound.flow),
    );
  }

  private tuRequest(tx: ServerTx): void {
    try {
      this.opts.tu.request(tx);
    } catch (err) {
      this.opts.log.error({ err, method: tx.method }, 'transaction user failed on a request: 500');
      // Ignored by the machine if the TU got a final response out before throwing.
      tx.reply(500, 'Server Internal Error');
    }
  }

  private tuAck(ack: SipRequest, flow: Flow, tx: ServerTx | undefined): void {
    try {
      this.opts.tu.ack(ack, flow, tx);
    } catch (err) {
      this.opts.log.error({ err }, 'transaction user failed on an ACK');
    }
  }

  // ------------------------------------------------------- bookkeeping

  private newClient(
    req: SipRequest,
    dest: Destination,
    branch: string,
    handlers: ClientHandlers,
  ): ClientTx {
    const ctx = isReliable(dest) ? this.reliable : this.unreliable;
    const key = clientTransactionKey({ branch, cseqMethod: req.method });
    return req.method === 'INVITE'
      ? new ClientTxImpl(inviteClient, ctx, key, branch, req, dest, handlers, this.clientHost)
      : new ClientTxImpl(nonInviteClient, ctx, key, branch, req, dest, handlers, this.clientHost);
  }

  private addClient(tx: ClientTx): void {
    this.clients.set(tx.key, tx);
    this.liveCount++;
    const conn = connectionOf(tx.destination);
    if (conn === undefined) return;
    let set = this.byConnection.get(conn);
    if (set === undefined) this.byConnection.set(conn, (set = new Set()));
    set.add(tx);
  }

  /** §9.1: the CANCEL is a client transaction of its own, with the INVITE's branch. */
  private sendCancel(invite: ClientTx, cancel: SipRequest): void {
    const tx = this.newClient(cancel, invite.destination, invite.branch, {
      onFinal: (res, source) =>
        this.opts.log.debug({ status: res.status, source }, 'CANCEL answered'),
    });
    this.addClient(tx);
    tx.start();
  }

  private removeClient(tx: ClientTx): void {
    if (this.clients.get(tx.key) !== tx) return;
    this.clients.delete(tx.key);
    this.liveCount--;
    const conn = connectionOf(tx.destination);
    if (conn !== undefined) this.byConnection.get(conn)?.delete(tx);
  }

  private fileAlias(tx: ServerTx, key: string): void {
    if (tx.aliases.includes(key) || !tx.alive) return;
    tx.aliases.push(key);
    this.servers.set(key, tx);
  }

  private removeServer(tx: ServerTx): void {
    if (this.servers.get(tx.key) !== tx) return;
    this.servers.delete(tx.key);
    for (const alias of tx.aliases) if (this.servers.get(alias) === tx) this.servers.delete(alias);
    this.liveCount--;
  }
}

function connectionOf(dest: Destination): string | undefined {
  return dest.kind === 'flow' && dest.flow.transport !== 'udp' ? dest.flow.connectionId : undefined;
}

function viaFields(msg: SipResponse): number {
  let n = 0;
  for (const h of msg.headers) if (h.name === 'Via') n++;
  return n;
}

/** §17.2.3: what an RFC 2543 request is matched on. */
function legacyFields(req: SipRequest, via: Via): LegacyKeyFields {
  return {
    requestUri: req.uri,
    toTag: tagOf(to(req)),
    fromTag: tagOf(from(req)),
    callId: callId(req),
    cseq: cseq(req).seq,
    method: req.method,
    topVia: via,
  };
}
