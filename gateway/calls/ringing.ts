/**
 * An incoming call while it rings at the gateway: the ring time (then 480
 * "No answer"), one 180 toward the PBX whichever device rings (a browser's
 * 183 carries no early media we want), and the line's count of ringing
 * calls that colleagues see and can pick up.
 */
import type { LineInfo } from '../lines/manager.ts';
import type { ServerTransaction } from '../sip/stack.ts';
import { contactHeader, pbxContact, type Pickable, type SetupContext } from './context.ts';

type Timer = ReturnType<SetupContext['env']['clock']['setTimer']>;

export class Ringing {
  #timer: Timer | undefined;
  #sent180 = false;
  #counted = false;

  constructor(
    private readonly ctx: SetupContext,
    private readonly line: LineInfo,
    private readonly tx: ServerTransaction,
    private readonly call: Pickable,
    /** The ring time ran out. */
    private readonly onTimeout: () => void,
  ) {}

  /** Counts the call as ringing on its line (it can be picked up now). */
  count(): void {
    if (this.#counted) return;
    this.#counted = true;
    this.ctx.ringing(this.line.plan.id, 1, this.call);
  }

  /** Starts the ring time, once. */
  startTimer(): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.ctx.env.clock.setTimer(this.ctx.ringTimeoutMs, () => {
      this.#timer = undefined;
      this.onTimeout();
    });
  }

  /** 180 Ringing to the PBX, once. */
  send180(): void {
    if (this.#sent180) return;
    this.#sent180 = true;
    const contact = contactHeader(pbxContact(this.line, this.ctx.pbxSentBy));
    this.tx.reply(180, 'Ringing', { recordRoute: true, headers: [contact] });
  }

  /** It stopped ringing: answered, picked up, refused or over. */
  stop(): void {
    if (this.#timer !== undefined) this.ctx.env.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    if (this.#counted) this.ctx.ringing(this.line.plan.id, -1, this.call);
    this.#counted = false;
  }
}
