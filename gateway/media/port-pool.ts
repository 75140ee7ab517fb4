/**
 * RTP/RTCP port pairs from media.rtpPorts: an even RTP port and the odd port
 * above it for RTCP (RFC 3550 §11). Freed pairs go to the back of the queue,
 * so a port is reused as late as possible and stray packets of an ended call
 * do not land in a new one.
 */
import { LinegateError } from '#shared/errors.ts';

export class PortPool {
  private readonly free: number[] = [];
  private readonly used = new Set<number>();
  private readonly range: readonly [number, number];

  constructor(range: readonly [number, number]) {
    const [from, to] = range;
    this.range = range;
    for (let p = from + (from % 2); p + 1 <= to; p += 2) this.free.push(p);
    if (this.free.length === 0) {
      throw new LinegateError(
        'config.invalid',
        `media.rtpPorts [${from}, ${to}] holds no even/odd port pair`,
        {
          details: { key: 'media.rtpPorts' },
        },
      );
    }
  }

  /** Takes a pair and returns its even RTP port; throws when none is left. */
  acquire(): number {
    const port = this.free.shift();
    if (port === undefined) {
      throw new LinegateError(
        'internal',
        `RTP port pool exhausted: all ${this.used.size} pairs of media.rtpPorts [${this.range[0]}, ${this.range[1]}] are in use`,
        { details: { key: 'media.rtpPorts', inUse: this.used.size } },
      );
    }
    this.used.add(port);
    return port;
  }

  /** Returns a pair; releasing a pair that is not in use is a no-op. */
  release(port: number): void {
    if (this.used.delete(port)) this.free.push(port);
  }

  get inUse(): number {
    return this.used.size;
  }
  get available(): number {
    return this.free.length;
  }
}
