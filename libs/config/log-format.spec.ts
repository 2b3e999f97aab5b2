import { ApiEnv, WorkerEnv, validateEnv } from './env';
import { logFormat, logTransport } from './log-format';

describe('log format', () => {
  it('is readable in a terminal and JSON when piped, unless LOG_FORMAT says', () => {
    expect(logFormat(undefined, true)).toBe('pretty');
    expect(logFormat(undefined, false)).toBe('json');
    expect(logFormat('json', true)).toBe('json');
    expect(logFormat('pretty', false)).toBe('pretty');
  });

  it('adds the pino-pretty transport only for the readable format', () => {
    expect(logTransport('json')).toEqual({});
    expect(logTransport('pretty').transport?.target).toBe('pino-pretty');
    expect(() => require.resolve('pino-pretty')).not.toThrow();
  });

  it('refuses an unknown LOG_FORMAT, naming it, and leaves it unset by default', () => {
    expect(() => validateEnv(WorkerEnv, { LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(validateEnv(WorkerEnv, { LOG_FORMAT: '' }).LOG_FORMAT).toBeUndefined();
    expect(validateEnv(ApiEnv, { JWT_SECRET: 'x'.repeat(32), LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
  });
});
