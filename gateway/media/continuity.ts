/**
 * Where does an incoming audio packet sit relative to the previous one of
 * the same stream? The transcoder needs to know to run packet-loss
 * concealment for lost packets, start a new run after a timestamp jump
 * (DTX, a DTMF event that replaced audio — RFC 4733 §2.5.1.2 lets senders
 * suppress audio — or a restarted source), and reset decoder state for a
 * new SSRC (RFC 3550 §8.2: a changed SSRC is a new source).
 *
 * Loss is judged from sequence numbers AND timestamps: a sequence gap with a
 * matching timestamp gap is loss; a timestamp gap with consecutive sequence
 * numbers is silence, which must not be "concealed".
 */
import { seqDiff, tsDiff } from './rtp.ts';

export type Continuity =
  | { kind: 'new-source' } // first packet, new SSRC, or a restart: reset decoder state
  | { kind: 'next' } // contiguous with the previous packet
  | { kind: 'lost'; frames: number } // `frames` frames of the previous duration are missing
  | { kind: 'jump' } // timestamp jump without loss: start a new run, no concealment
  | { kind: 'stale' }; // duplicate or arrived after a later packet: drop

/** At most this many frames (100 ms at 20 ms) are concealed; longer gaps start a new run. */
export const MAX_CONCEALED_FRAMES = 5;
/** A sequence jump beyond this is a restarted source rather than loss (RFC 3550 A.1 uses 3000; we relay, so less). */
const MAX_SEQ_JUMP = 100;

export class ContinuityTracker {
  private started = false;
  private ssrc = 0;
  private seq = 0;
  private nextTs = 0;
  private duration = 0;

  constructor(private readonly clockRate: number) {}

  classify(ssrc: number, seq: number, timestamp: number): Continuity {
    if (!this.started || ssrc !== this.ssrc) return { kind: 'new-source' };
    const dSeq = seqDiff(seq, this.seq);
    if (dSeq <= 0) return dSeq > -MAX_SEQ_JUMP ? { kind: 'stale' } : { kind: 'new-source' };
    const dTs = tsDiff(timestamp, this.nextTs);
    if (dSeq > MAX_SEQ_JUMP || dTs < 0 || dTs > this.clockRate * 10) return { kind: 'new-source' };
    if (dTs === 0) return { kind: 'next' };
    const missing = this.duration > 0 ? dTs / this.duration : Infinity;
    if (
      dSeq > 1 &&
      Number.isInteger(missing) &&
      missing <= Math.min(dSeq - 1, MAX_CONCEALED_FRAMES)
    ) {
      return { kind: 'lost', frames: missing };
    }
    return { kind: 'jump' };
  }

  /** Records a packet that was used; `duration` in timestamp units. */
  accept(ssrc: number, seq: number, timestamp: number, duration: number): void {
    this.started = true;
    this.ssrc = ssrc;
    this.seq = seq;
    this.duration = duration;
    this.nextTs = (timestamp + duration) >>> 0;
  }

  /** Records a packet of the same source that carries no audio (e.g. an RFC 4733 event). */
  skip(ssrc: number, seq: number): void {
    if (this.started && ssrc === this.ssrc && seqDiff(seq, this.seq) > 0) this.seq = seq;
  }
}
