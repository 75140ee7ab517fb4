/**
 * The checks of forwarding rules a user sends (PUT /api/forwarding,
 * shared/api.ts), shared so that the gateway refuses and the PWA's test
 * fake refuses in the same words.
 */
import type { ForwardRule } from './api.ts';

/** The first problem of one rule (`rule` is whatever arrived), or undefined. */
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

/** A rule with exactly its fields (whatever else arrived is dropped). */
export function cleanRule({ line, when, calls, target, enabled }: ForwardRule): ForwardRule {
  return { line, when, calls, target, enabled };
}
