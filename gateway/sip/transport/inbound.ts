/**
 * The receive path both transports share: keep-alives, parsing with the
 * transport's framing, answering what cannot be parsed (RFC 3261 §8.2.6.2,
 * §18.3), and handing the rest up with its flow and top Via. Never throws:
 * a socket handler must survive any input.
 */
import { generateTag } from '../message/build.ts';
import { parseNameAddr } from '../message/name-addr.ts';
import { isKeepAlive, parseMessage } from '../message/parse.ts';
import { parseViaList } from '../message/via.ts';
import { serializeMessage } from '../message/serialize.ts';
import type { Framing, PartialRequest, SipResponse } from '../message/types.ts';
import type { Logger } from '../../log.ts';
import type { LogBudget } from './log-budget.ts';
import { flowFields, readTopVia } from './routing.ts';
import type { Flow, InboundHandler } from './types.ts';

/** RFC 5626 §4.4.1: the pong that answers a double-CRLF ping. */
export const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);

export interface ReceiveContext {
  readonly framing: Framing;
  readonly log: Logger;
  /** Rate limit for what a peer can trigger (malformed or dropped input). */
  readonly budget: LogBudget;
  readonly onMessage: InboundHandler;
}

/** Sends bytes back where a message came from (a 400, a pong). */
export type Reply = (data: Buffer) => void;

export function receive(data: Buffer, flow: Flow, ctx: ReceiveContext, reply: Reply): void {
  try {
    if (isKeepAlive(data)) {
      // RFC 5626 §4.4.1: "\r\n\r\n" is a ping, answered by one "\r\n"; a lone CRLF is a pong.
      if (data.length >= 4) reply(CRLF);
      return;
    }
    const result = parseMessage(data, { framing: ctx.framing });
    if (!result.ok) {
      rejected(result.error.message, result.partial, flow, ctx, reply);
      return;
    }
    const message = result.message;
    // An empty body is a view of the datagram and would keep all of it alive
    // as long as the message lives (a transaction keeps its request 32 s).
    if (message.body.length === 0) message.body = EMPTY;
    const topVia = readTopVia(message, message.kind === 'request' ? flow : undefined);
    ctx.onMessage({ message, flow, topVia });
  } catch (err) {
    ctx.log.error({ err, ...flowFields(flow) }, 'inbound SIP message handling failed');
  }
}

/**
 * §8.2.6.2 (and RFC 3261 §21.4.1 400, §21.5.6 505, §21.4.11 513): a request
 * whose essentials could be read gets an answer built from them; anything
 * else, responses included (§18.1.2), is dropped. An ACK is never answered
 * (§17.1.1.3: it has no response).
 */
function rejected(
  what: string,
  partial: PartialRequest | undefined,
  flow: Flow,
  ctx: ReceiveContext,
  reply: Reply,
): void {
  const answer = partial === undefined ? undefined : answerFor(partial);
  if (partial !== undefined && answer !== undefined) {
    reply(answer);
    ctx.budget.debug(
      () => ({ ...flowFields(flow), method: partial.method, status: partial.status, error: what }),
      'malformed SIP request answered',
    );
    return;
  }
  ctx.budget.debug(() => ({ ...flowFields(flow), error: what }), 'malformed SIP message dropped');
}

/** Control characters would let the reason phrase inject lines (it may quote the input). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\0-\x1f\x7f]/g;

function answerFor(partial: PartialRequest): Buffer | undefined {
  if (partial.method === 'ACK' || !partial.headers.some((h) => h.name === 'Via')) return undefined;
  // The client matches the response by its top Via (branch, sent-by) and
  // CSeq (§17.1.3): when the top Via itself is garbage, a 400 could reach
  // nobody's transaction and would be a malformed message of ours. Drop it.
  if (!topViaReadable(partial)) return undefined;
  try {
    return serializeMessage(errorResponse(partial));
  } catch {
    return undefined; // a copied field the serializer refuses (control characters): drop instead
  }
}

/** Header fields a message carries once (§20): a spliced or repeated request must not make the 400 invalid too. */
const SINGLE = new Set(['From', 'To', 'Call-ID', 'CSeq']);

function errorResponse(partial: PartialRequest): SipResponse {
  const seen = new Set<string>();
  const headers = partial.headers
    .filter(
      (h) =>
        h.name !== 'Timestamp' &&
        !(SINGLE.has(h.name) && seen.has(h.name) ? true : (seen.add(h.name), false)),
    )
    .map((h) => ({ ...h }));
  // §8.2.6.2: a response other than 100 carries a To tag.
  const to = headers.find((h) => h.name === 'To');
  if (to !== undefined && !hasTag(to.value)) to.value += ';tag=' + generateTag();
  return {
    kind: 'response',
    status: partial.status,
    reason: partial.reason.replace(CONTROL, ' ').slice(0, 200),
    headers,
    body: EMPTY,
  };
}

function topViaReadable(partial: PartialRequest): boolean {
  const via = partial.headers.find((h) => h.name === 'Via');
  if (via === undefined) return false;
  try {
    parseViaList(via.value);
    return true;
  } catch {
    return false;
  }
}

function hasTag(value: string): boolean {
  try {
    return parseNameAddr(value, { what: 'To' }).params.has('tag');
  } catch {
    return true; // a To we cannot read is copied as it is, without adding to it
  }
}
