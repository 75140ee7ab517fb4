/**
 * Structured, categorised logs (pino, JSON lines on stdout). Every module gets
 * a child logger with a `cat` such as "sip.transaction" or "lines.register",
 * so operators can filter one subsystem without reading code.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export function createLogger(level: LevelWithSilent, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

export function category(log: Logger, cat: string): Logger {
  return log.child({ cat });
}
