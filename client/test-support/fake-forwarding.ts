/**
 * The gateway's checks of forwarding rules for the fake phone
 * (FakePhone.setForwarding): the same code (shared/forwarding.ts) and the
 * same limit as gateway/http/api-forwarding.ts, so that component tests can
 * provoke the refusals the gateway gives.
 */
import { MAX_FORWARD_RULES } from '#shared/api.ts';
import { cleanRule, ruleProblem } from '#shared/forwarding.ts';
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
  return rules.map(cleanRule);
}
