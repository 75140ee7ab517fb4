/**
 * What happens to a call from the PBX before any device rings (issue #7,
 * seeds 001–003), in the order the UCServer applies it: a forwarding rule
 * or the mailbox (302), then "no second call" (486), then nobody signed in
 * or do-not-disturb (the group's decline.noClient), else ring.
 */
import type { LineInfo } from '../lines/manager.ts';
import type { ForwardTarget, SetupContext } from './context.ts';

export type Admission =
  | { readonly kind: 'forward'; readonly to: ForwardTarget }
  | { readonly kind: 'busy' }
  | {
      readonly kind: 'no-client';
      /** decline.noClient; 180 keeps the caller ringing at the gateway. */
      readonly status: LineInfo['decline']['noClient'];
      readonly dnd: boolean;
    }
  | { readonly kind: 'ring' };

export function admission(
  ctx: Pick<SetupContext, 'forwarding' | 'secondCallRefused' | 'dnd'>,
  line: LineInfo,
  callerNumber: string,
  devices: number,
): Admission {
  const to = ctx.forwarding(line, callerNumber, devices);
  if (to !== undefined) return { kind: 'forward', to };
  // No call waiting on this line (seed 003 "Zweitanruf"): busy.
  if (ctx.secondCallRefused(line)) return { kind: 'busy' };
  const dnd = ctx.dnd(line.plan.id);
  if (devices === 0 || dnd) return { kind: 'no-client', status: line.decline.noClient, dnd };
  return { kind: 'ring' };
}
