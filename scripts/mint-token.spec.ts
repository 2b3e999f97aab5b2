/** The token command: strict arguments, help, and the per-data-folder secret it shares with `npm start`. */
import { JwtService } from '@nestjs/jwt';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localJwtSecret, runTokenCommand, SECRET_FILE } from './mint-token';

const SECRET = 'cli-test-secret-0123456789abcdef';
const env = { JWT_SECRET: SECRET };
const decode = (token: string) => new JwtService({ secret: SECRET }).verify(token) as Record<string, unknown>;

describe('npm run token', () => {
  it('mints a token with the given claims and a 12-hour lifetime', () => {
    const result = runTokenCommand(
      ['--sub', 'btv-1', '--name', 'Ủy viên', '--roles', 'approver', '--units=BPTT,BPHC'],
      env,
    );
    expect(result.code).toBe(0);
    const claims = decode(result.stdout!);
    expect(claims).toMatchObject({ sub: 'btv-1', name: 'Ủy viên', roles: ['approver'], units: ['BPTT', 'BPHC'] });
    expect((claims.exp as number) - (claims.iat as number)).toBe(12 * 3600);
  });

  it('prints usage for --help, and mints nothing', () => {
    for (const flag of ['--help', '-h']) {
      const result = runTokenCommand([flag], env);
      expect(result).toEqual({ code: 0, stdout: expect.stringContaining('usage: npm run token') });
    }
  });

  it.each([
    [['--sub', 'x', '--roles', 'coordinator', '--unit', 'BPTT'], /Unknown option '--unit'/],
    [['--sub', 'x', '--roles', 'coordinator', 'BPTT'], /positional/i],
    [['--sub', 'x', '--roles'], /argument missing/],
    [['--roles', 'coordinator'], /--sub is required/],
    [['--sub', 'x'], /--roles is required/],
    [['--sub', 'x', '--roles', 'root'], /unknown roles root/],
    [['--sub', 'x', '--roles', 'viewer', '--units', 'BPTT,'], /--units must be unit codes/],
    [['--sub', 'x', '--roles', 'viewer', '--hours', '87600'], /--hours must be more than 0 and at most 24/],
    [['--sub', 'x', '--roles', 'viewer', '--hours', 'twelve'], /--hours/],
  ])('refuses %j with a non-zero exit and the usage', (argv, message) => {
    const result = runTokenCommand(argv, env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBeUndefined();
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('usage:');
  });

  it('reads the secret npm start created in the data folder, and never falls back to a public one', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tminus-token-'));
    const noSecret = runTokenCommand(['--sub', 'x', '--roles', 'viewer'], { TMINUS_DATA_DIR: dataDir });
    expect(noSecret).toEqual({ code: 1, stderr: expect.stringMatching(/npm start/) });

    const secret = localJwtSecret(dataDir, { create: true });
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path.join(dataDir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(localJwtSecret(dataDir, { create: true })).toBe(secret);
    expect(localJwtSecret(mkdtempSync(path.join(os.tmpdir(), 'tminus-token-')), { create: true })).not.toBe(secret);

    const minted = runTokenCommand(['--sub', 'x', '--roles', 'viewer'], { TMINUS_DATA_DIR: dataDir });
    expect(minted.code).toBe(0);
    expect(new JwtService({ secret }).verify(minted.stdout!)).toMatchObject({ sub: 'x', roles: ['viewer'] });
  });

  it('tightens a secret file others could read', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tminus-token-'));
    writeFileSync(path.join(dataDir, SECRET_FILE), 'a'.repeat(64), { mode: 0o644 });
    expect(localJwtSecret(dataDir, { create: false })).toBe('a'.repeat(64));
    expect(statSync(path.join(dataDir, SECRET_FILE)).mode & 0o777).toBe(0o600);
  });
});
