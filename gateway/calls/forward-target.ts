/**
 * Where a call to a line is forwarded, if anywhere: the users' rules and
 * the mailbox forwarding (forwarding.ts) with the line group's location
 * (seed 004): internal callers told apart by it, and the target turned
 * into what the PBX dials (shared/dialing). Without a location, numbers of
 * up to 4 digits count as internal and targets are dialled as typed.
 */
import type { ForwardRule } from '#shared/api.ts';
import { dialable, isInternal, type Location } from '#shared/dialing/index.ts';
import type { UserConfig } from '../config/schema.ts';
import type { LineInfo } from '../lines/manager.ts';
import type { Logger } from '../log.ts';
import type { ForwardTarget } from './context.ts';
import { forwardingFor } from './forwarding.ts';

export interface ForwardTargetOptions {
  readonly users: () => readonly UserConfig[];
  readonly rules: (user: string) => readonly ForwardRule[];
  /** Users in a call on the line now. */
  readonly busyOn: (lineId: string) => ReadonlySet<string>;
  readonly log: Logger;
}

export function forwardTarget(
  opts: ForwardTargetOptions,
  line: LineInfo,
  caller: string,
  devices: number,
): ForwardTarget | undefined {
  const owners = opts.users().filter((u) => u.lines.includes(line.plan.id));
  const loc = locationOf(line);
  const decision = forwardingFor({
    line: line.plan.id,
    caller,
    rulesOf: owners.map((u) => ({ user: u.username, rules: opts.rules(u.username) })),
    busy: opts.busyOn(line.plan.id),
    isInternal: (n) => (loc === undefined ? /^[0-9]{1,4}$/.test(n) : isInternal(n, loc)),
    mailboxes: line.mailboxForwarding
      ? owners.flatMap((u) =>
          u.mailbox === undefined ? [] : [{ user: u.username, mailbox: u.mailbox }],
        )
      : [],
    devices,
  });
  if (decision.kind === 'none') return undefined;
  if (loc === undefined) return { dial: decision.target, why: decision.why, user: decision.user };
  const d = dialable(decision.target, loc);
  if (!d.ok) {
    opts.log.warn(
      { line: line.plan.id, target: decision.target, reason: d.reason },
      'forwarding target cannot be dialled: the call rings instead',
    );
    return undefined;
  }
  return { dial: d.dial, why: decision.why, user: decision.user };
}

function locationOf(line: LineInfo): Location | undefined {
  const l = line.location;
  return l === undefined ? undefined : { ...l };
}
