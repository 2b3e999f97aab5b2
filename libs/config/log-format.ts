/**
 * How the processes write their logs: one JSON object a line for log collectors, and whenever the output is piped
 * or redirected; readable lines (pino-pretty, in a worker thread) when a person watches a terminal, as under
 * `npm start`. LOG_FORMAT=json or pretty overrides the guess.
 */
import type { TransportSingleOptions } from 'pino';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export function logFormat(configured: LogFormat | undefined, stdoutIsTerminal: boolean): LogFormat {
  return configured ?? (stdoutIsTerminal ? 'pretty' : 'json');
}

/** pino options for the format: nothing for JSON, the pretty transport otherwise. */
export function logTransport(format: LogFormat): { transport?: TransportSingleOptions } {
  if (format === 'json') return {};
  return {
    transport: {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true },
    },
  };
}
