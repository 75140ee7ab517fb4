/** Helpers of the line tests: a gateway config, a log we can read, raw SIP over UDP. */
import { createSocket } from 'node:dgram';
import { parseConfigText } from '../../gateway/config/load.ts';
import type { Config } from '../../gateway/config/schema.ts';
import { createLogger, type Logger } from '../../gateway/log.ts';

export { pollUntil } from '../pbx/sys.ts';

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly cat?: string;
  readonly [key: string]: unknown;
}

/** A logger whose JSON lines the test reads back. */
export function captureLog(level: 'info' | 'debug' = 'info'): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = createLogger(level, {
    write: (s: string) => {
      lines.push(JSON.parse(s) as LogLine);
    },
  });
  return { log, lines };
}

/** YAML of a gateway on free ports with in-memory data and the given line groups. */
export function gatewayYaml(lineGroups: string, opts: { sip?: string } = {}): string {
  return `server: { port: 0 }\nsip: ${opts.sip ?? '{ port: 0 }'}\ndata: ":memory:"\nlineGroups:\n${lineGroups}`;
}

export function parseYaml(yaml: string): Config {
  return parseConfigText(yaml, 'test.yaml');
}

/**
 * Sends one request from `fromAddress` (any 127/8 address binds on Linux)
 * and resolves with the status line of the first final answer.
 */
export async function sendRaw(
  fromAddress: string,
  to: { host: string; port: number },
  method: string,
  user: string,
): Promise<string> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, fromAddress, resolve));
  const port = socket.address().port;
  const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`;
  const text =
    `${method} sip:${user}@${to.host}:${to.port} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP ${fromAddress}:${port};branch=${branch}\r\n` +
    `From: <sip:caller@${fromAddress}>;tag=t${port}\r\nTo: <sip:${user}@${to.host}>\r\n` +
    `Call-ID: ${branch}@test\r\nCSeq: 1 ${method}\r\nMax-Forwards: 70\r\n` +
    (method === 'INVITE' ? `Contact: <sip:caller@${fromAddress}:${port}>\r\n` : '') +
    `Content-Length: 0\r\n\r\n`;
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no final answer to ${method} from ${fromAddress}`)),
        5000,
      );
      socket.on('message', (data) => {
        const status = data.toString().split('\r\n')[0] ?? '';
        if (/^SIP\/2\.0 [2-6]\d\d /.test(status)) {
          clearTimeout(timer);
          resolve(status);
        }
      });
      socket.send(text, to.port, to.host);
    });
  } finally {
    socket.close();
  }
}
