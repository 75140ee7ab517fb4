/**
 * The o= line of our SDP (RFC 4566 §5.2, RFC 3264 §8): one session id per
 * leg, and a version that goes up by one exactly when the description
 * changes — an unchanged re-offer (session refresh) keeps its version.
 */
export class SdpVersion {
  private readonly sessionId = Math.floor(Math.random() * 2 ** 31);
  private version = 0;
  private lastBody: string | null = null;

  stamp(build: (sessionId: number, version: number) => string): string {
    const same = build(this.sessionId, this.version);
    if (this.lastBody === null || same === this.lastBody) {
      this.lastBody = same;
      return same;
    }
    this.version++;
    this.lastBody = build(this.sessionId, this.version);
    return this.lastBody;
  }
}
