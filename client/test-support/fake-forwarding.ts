/**
 * The gateway's checks of forwarding rules for the fake phone
 * (FakePhone.setForwarding), in its words (gateway/http/api-forwarding.ts,
 * gateway/calls/forwarding.ts ruleProblem), so that component tests can
 * provoke the refusals the gateway gives.
 */
import { MAX_FORWARD_RULES } from '../../shared/api.ts';
import { PhoneError, type ForwardRule } from '../phone/types.ts';

/** The rules as the gateway keeps them, or PhoneError 'failed' with its reason. */
export function checkForwarding(
  rules: readonly ForwardRule[],
  lines: readonly string[],
): ForwardRule[] {
  if (rules.length > MAX_FORWARD_RULES) {
    throw new PhoneError('failed', `at most ${MAX_FORWARD_RULES} rules`);
  }
  for (const [i, rule] of rules.entries()) {
    const problem = ruleProblem(rule, lines);
    if (problem !== undefined) throw new PhoneError('failed', `rule ${i}: ${problem}`);
  }
  return rules.map(({ line, when, calls, target, enabled }) => ({
    line,
    when,
    calls,
    target,
    enabled,
  }));
}

/** The first problem of one rule; `rule` is whatever a view sent. */
function ruleProblem(rule: unknown, lines: readonly string[]): string | undefined {
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
