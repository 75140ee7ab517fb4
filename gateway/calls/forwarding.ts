/**
 * Server-side call forwarding (seeds 001/002, issue #7): which rule, if
 * any, sends an incoming call elsewhere with 302 Moved Temporarily. Pure:
 * the B2BUA hands in the rules of the line's users, who is busy, and how
 * to tell internal callers apart (the line group's location).
 *
 * Order, as the UCServer applies it: "always" rules first, then "busy"
 * rules of users who are in a call on the line, then the administrative
 * mailbox forwarding (seed 002, 6.3) of users with no client signed in.
 */
import type { ForwardRule } from '#shared/api.ts';

export interface ForwardingInput {
  readonly line: string;
  /** The caller's number ("" when withheld: neither internal nor external rules know it). */
  readonly caller: string;
  /** Rules of each user who owns the line. */
  readonly rulesOf: readonly { readonly user: string; readonly rules: readonly ForwardRule[] }[];
  /** Users in a call on this line now. */
  readonly busy: ReadonlySet<string>;
  readonly isInternal: (number: string) => boolean;
  /**
   * Mailbox forwarding (lineGroups[].mailboxForwarding): owners with a
   * mailbox number and no device signed in; the call goes to the first.
   */
  readonly mailboxes: readonly { readonly user: string; readonly mailbox: string }[];
  /** Devices of the line's users signed in right now. */
  readonly devices: number;
}

export type ForwardDecision =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'forward';
      readonly target: string;
      readonly why: 'always' | 'busy' | 'mailbox';
      readonly user: string;
    };

export function forwardingFor(input: ForwardingInput): ForwardDecision {
  const matches = (rule: ForwardRule): boolean =>
    rule.enabled &&
    rule.line === input.line &&
    (rule.calls === 'all' ||
      (input.caller !== '' && (rule.calls === 'internal') === input.isInternal(input.caller)));
  for (const when of ['always', 'busy'] as const) {
    for (const { user, rules } of input.rulesOf) {
      if (when === 'busy' && !input.busy.has(user)) continue;
      const rule = rules.find((r) => r.when === when && matches(r));
      if (rule !== undefined) return { kind: 'forward', target: rule.target, why: when, user };
    }
  }
  const mailbox = input.devices === 0 ? input.mailboxes[0] : undefined;
  if (mailbox !== undefined)
    return { kind: 'forward', target: mailbox.mailbox, why: 'mailbox', user: mailbox.user };
  return { kind: 'none' };
}

export { ruleProblem } from '#shared/forwarding.ts';
