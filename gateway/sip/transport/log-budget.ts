/**
 * Rate-limited logging (one budget per LogBudget, shared by its levels) for what a peer can trigger at will (malformed
 * messages, stray responses): a flood must not turn into a flood of log
 * lines. At most `perWindow` lines per window; the first line of the next
 * window says how many were suppressed.
 */
import type { Logger } from '../../log.ts';
import type { Clock } from './clock.ts';

export class LogBudget {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;
  private suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly perWindow = 20,
    private readonly windowMs = 10_000,
  ) {}

  debug(fields: () => Record<string, unknown>, msg: string): void {
    this.write('debug', fields, msg);
  }

  warn(fields: () => Record<string, unknown>, msg: string): void {
    this.write('warn', fields, msg);
  }

  private write(level: 'debug' | 'warn', fields: () => Record<string, unknown>, msg: string): void {
    if (!this.log.isLevelEnabled(level)) return;
    const now = this.clock.now();
    let extra: Record<string, unknown> | undefined;
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) extra = { suppressed: this.suppressed };
      this.windowStart = now;
      this.used = 0;
      this.suppressed = 0;
    }
    if (this.used >= this.perWindow) {
      this.suppressed++;
      return;
    }
    this.used++;
    this.log[level]({ ...fields(), ...extra }, msg);
  }
}
