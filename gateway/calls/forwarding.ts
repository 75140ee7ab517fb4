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

/** Checks rules a user sends (PUT /api/forwarding); the first problem, or undefined. */
export function ruleProblem(rule: unknown, lines: readonly string[]): string | undefined {
  if (typeof rule !== 'object' || rule === null) return 'a rule must be an object';
  const r = rule as Record<string, unknown>;
  if (typeof r['line'] !== 'string' || !lines.includes(r['line']))
    return `line must be one of yours (${lines.join(', ') || 'none'})`;
  if (r['when'] !== 'always' && r['when'] !== 'busy') return 'when must be "always" or "busy"';
  if (r['calls'] !== 'all' && r['calls'] !== 'internal' && r['calls'] !== 'external')
    return 'calls must be "all", "internal" or "external"';
  if (typeof r['target'] !== 'string' || !/^\+?[0-9*#]{1,32}$/.test(r['target']))
    return 'target must be a number (digits, *, #, leading +)';
  if (typeof r['enabled'] !== 'boolean') return 'enabled must be true or false';
  return undefined;
}
