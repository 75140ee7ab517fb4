/**
 * Requests that arrive over UDP, i.e. from the PBX side (issue #4). The PBX
 * sends them to the Contact a line registered (sip:<username>@us), so the
 * Request-URI user — or the To user — names the line. Only a line group's
 * registrar and its trustedAddresses may send: anything else gets 403
 * before it can reach a line (toll-fraud protection; scanners probe SIP
 * ports all day). A user that is no line gets 404; requests for a line go
 * to the calls (forLine).
 */
import type { Logger } from '../log.ts';
import { to } from '../sip/message/headers.ts';
import type { SipRequest } from '../sip/message/types.ts';
import { answerUnhandled, type ServerTransaction } from '../sip/stack.ts';
import type { Clock } from '../sip/transport/clock.ts';
import { LogBudget } from '../sip/transport/log-budget.ts';
import type { InboundMatch } from './manager.ts';

export interface PbxSideOptions {
  readonly match: (address: string, users: readonly string[]) => InboundMatch;
  /** Allow of our answers (§20.5). */
  readonly allow: readonly string[];
  /** Category 'lines.inbound'. */
  readonly log: Logger;
  readonly clock: Clock;
  /** A request from a trusted source for a configured line (default: answered as unhandled). */
  readonly forLine?: (tx: ServerTransaction, lineId: string) => void;
}

export function createPbxSide(opts: PbxSideOptions): (tx: ServerTransaction) => void {
  // A scanner sends thousands: a few lines a minute are enough to see it.
  const refusals = new LogBudget(opts.log, opts.clock, 10, 60_000);
  return (tx) => {
    const req = tx.request;
    const source = tx.flow.remoteAddress;
    const users = usersOf(req);
    const m = opts.match(source, users);
    switch (m.kind) {
      case 'no-lines':
        answerUnhandled(tx, { allow: opts.allow });
        return;
      case 'untrusted':
        refusals.warn(
          () => ({ source: `${source}:${tx.flow.remotePort}`, method: req.method, user: users[0] }),
          'SIP request from an address that is no registrar or trusted address of any line group: 403',
        );
        tx.reply(403, 'Forbidden');
        return;
      case 'unknown-user':
        // OPTIONS without a user is a ping of the gateway itself (§11).
        if (users.length === 0 && req.method === 'OPTIONS') {
          answerUnhandled(tx, { allow: opts.allow });
          return;
        }
        refusals.debug(() => ({ source, method: req.method, users }), 'request for no line: 404');
        tx.reply(404, 'Not Found');
        return;
      case 'line':
        if (opts.forLine !== undefined) opts.forLine(tx, m.id);
        else answerUnhandled(tx, { allow: opts.allow });
        return;
    }
  };
}

/** Request-URI user, then To user (each once); none when neither has one. */
export function usersOf(req: SipRequest): string[] {
  const out: string[] = [];
  if (req.uri.kind === 'sip' && req.uri.user !== undefined) out.push(req.uri.user);
  try {
    const t = to(req);
    // To names the line in requests from the PBX, inside a dialog or not (§12.2.1.1).
    if (t.uri.kind === 'sip' && t.uri.user !== undefined && !out.includes(t.uri.user)) {
      out.push(t.uri.user);
    }
  } catch {
    // A To that does not parse was refused by the transport already; nothing to add.
  }
  return out;
}
