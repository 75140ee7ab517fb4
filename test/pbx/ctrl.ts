// Client for baresip's ctrl_tcp module: netstrings ("<len>:<json>,") carrying
// commands ({command, params, token}), their responses and events.
import { connect, type Socket } from 'node:net';
import { HOST } from './ports.ts';

/** An event from ctrl_tcp, e.g. { type: 'CALL_ESTABLISHED', class: 'call', param: 'sip:203@…' }. */
export interface PhoneEvent {
  type: string;
  class: string;
  param: string;
  peeruri: string;
  direction: string;
  /** When the harness received it (Date.now()). */
  at: number;
  raw: Readonly<Record<string, unknown>>;
}

interface Pending {
  resolve: (data: string) => void;
  reject: (err: Error) => void;
}

/** baresip's ctrl_tcp: netstrings ("<len>:<json>,") carrying commands, responses and events. */
export class Ctrl {
  readonly events: PhoneEvent[] = [];
  private buf = Buffer.alloc(0);
  private nextToken = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly sock: Socket) {
    sock.unref(); // pending commands and waitEvent hold their own timers
    sock.on('data', (d: Buffer) => {
      this.onData(d);
    });
    sock.on('close', () => {
      for (const p of this.pending.values())
        p.reject(new Error('baresip ctrl_tcp connection closed'));
      this.pending.clear();
    });
    sock.on('error', () => undefined); // 'close' follows and rejects what is pending
  }

  /** Connects, retrying while baresip is still opening its listener. */
  static async open(port: number, timeoutMs: number): Promise<Ctrl> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return new Ctrl(await connectOnce(port));
      } catch (e) {
        if (Date.now() > deadline)
          throw new Error(`baresip ctrl_tcp 127.0.0.1:${port} refused`, { cause: e });
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  command(command: string, params = '', timeoutMs = 5000): Promise<string> {
    const token = String(this.nextToken++);
    const json = Buffer.from(JSON.stringify({ command, params, token }));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(
          new Error(
            `baresip ctrl_tcp: no response to "${command} ${params}" within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(token, {
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.sock.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
    });
  }

  /** Index of the first event at or after `from` matching `pred`. */
  waitFor(pred: (e: PhoneEvent) => boolean, from: number, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const i = this.events.findIndex((e, idx) => idx >= from && pred(e));
        if (i < 0) return false;
        cleanup();
        resolve(i);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error('timeout'));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(onEvent);
      };
      const onEvent = (): void => {
        check();
      };
      this.listeners.add(onEvent);
      check();
    });
  }

  close(): void {
    this.sock.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const colon = this.buf.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.buf.subarray(0, colon).toString());
      if (this.buf.length < colon + 1 + len + 1) return;
      const body = this.buf.subarray(colon + 1, colon + 1 + len).toString();
      this.buf = this.buf.subarray(colon + 2 + len);
      this.onMessage(JSON.parse(body) as Record<string, unknown>);
    }
  }

  private onMessage(msg: Record<string, unknown>): void {
    const str = (k: string): string => (typeof msg[k] === 'string' ? msg[k] : '');
    if (msg['response'] === true) {
      const p = this.pending.get(str('token'));
      if (p === undefined) return;
      this.pending.delete(str('token'));
      if (msg['ok'] === true) p.resolve(str('data'));
      else p.reject(new Error(`baresip ctrl_tcp: command failed: ${str('data')}`));
      return;
    }
    if (msg['event'] === true) {
      this.events.push({
        type: str('type'),
        class: str('class'),
        param: str('param'),
        peeruri: str('peeruri'),
        direction: str('direction'),
        at: Date.now(),
        raw: msg,
      });
      for (const l of [...this.listeners]) l();
    }
  }
}

function connectOnce(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, HOST);
    sock.once('connect', () => {
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', reject);
  });
}
