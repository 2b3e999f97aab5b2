/**
 * `npm run token`: mints a bearer token for local use, signed with JWT_SECRET or, when it is unset, with the
 * secret `npm start` keeps in its data folder (TMINUS_DATA_DIR, default data/). Arguments are parsed strictly:
 * an unknown flag, a missing value or a stray word is an error, never a token with defaults.
 */
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../apps/api/auth/roles';

export const USAGE = `Mints a bearer token for the tminus API (local use).

usage: npm run token -- --sub ID --roles ROLE[,ROLE] [--name NAME] [--units UNIT[,UNIT]] [--hours N]

  --sub ID         who the token names (recorded as the actor of every change)
  --roles LIST     comma-separated: ${ROLES.join(', ')}
  --name NAME      display name (default: the sub)
  --units LIST     limit the token to these units' plans (comma-separated unit codes)
  --hours N        lifetime in hours (default 12, at most JWT_MAX_LIFETIME_HOURS, default 24)
  --help           print this help

The secret is JWT_SECRET, or the one \`npm start\` created in TMINUS_DATA_DIR (default data/)/jwt-secret.`;

/** The file, in a data folder, holding the secret `npm start` signs with. */
export const SECRET_FILE = 'jwt-secret';

/**
 * The local signing secret of a data folder: read from `<dataDir>/jwt-secret`, or (with `create`) made from 32
 * random bytes and written readable by the owner only. Each data folder has its own; none is public.
 */
export function localJwtSecret(dataDir: string, options: { create: boolean }): string {
  const file = path.join(dataDir, SECRET_FILE);
  if (!existsSync(file)) {
    if (!options.create) {
      throw new Error(`no secret in ${file}: start tminus once with \`npm start\`, or set JWT_SECRET`);
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 16) throw new Error(`${file} holds no usable secret (at least 16 characters)`);
  return secret;
}

export function mintToken(
  secret: string,
  claims: { sub: string; name: string; roles: Role[]; units?: string[] },
  hours = 12,
): string {
  return new JwtService({ secret }).sign(claims, { algorithm: 'HS256', expiresIn: Math.round(hours * 3600) });
}

const list = (value: string | undefined) =>
  value === undefined ? undefined : value.split(',').map((item) => item.trim());

/** The command itself, without touching process: what it prints and its exit code. */
export function runTokenCommand(
  argv: string[],
  env: Record<string, string | undefined>,
): { code: number; stdout?: string; stderr?: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        sub: { type: 'string' },
        name: { type: 'string' },
        roles: { type: 'string' },
        units: { type: 'string' },
        hours: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { code: 2, stderr: `${err instanceof Error ? err.message : String(err)}\n\n${USAGE}` };
  }
  if (values.help) return { code: 0, stdout: USAGE };
  const problems: string[] = [];
  if (!values.sub?.trim()) problems.push('--sub is required');
  const roles = list(values.roles) ?? [];
  if (roles.length === 0) problems.push('--roles is required');
  const unknownRoles = roles.filter((r) => !ROLES.includes(r as Role));
  if (unknownRoles.length > 0) problems.push(`unknown roles ${unknownRoles.join(', ')} (use ${ROLES.join(', ')})`);
  const units = list(values.units);
  if (units && units.some((u) => !/^[A-Z0-9_-]+$/i.test(u)))
    problems.push('--units must be unit codes, e.g. BPTT,BPHC');
  const maxHours = Number(env.JWT_MAX_LIFETIME_HOURS || 24);
  const hours = values.hours === undefined ? Math.min(12, maxHours) : Number(values.hours);
  if (!(hours > 0 && hours <= maxHours)) problems.push(`--hours must be more than 0 and at most ${maxHours}`);
  if (problems.length > 0) return { code: 2, stderr: `${problems.join('\n')}\n\n${USAGE}` };
  try {
    const secret = env.JWT_SECRET || localJwtSecret(path.resolve(env.TMINUS_DATA_DIR ?? 'data'), { create: false });
    const sub = values.sub!.trim();
    const token = mintToken(
      secret,
      { sub, name: values.name ?? sub, roles: roles as Role[], ...(units ? { units } : {}) },
      hours,
    );
    return { code: 0, stdout: token };
  } catch (err) {
    return { code: 1, stderr: err instanceof Error ? err.message : String(err) };
  }
}

if (require.main === module) {
  const { code, stdout, stderr } = runTokenCommand(process.argv.slice(2), process.env);
  if (stdout) console.log(stdout);
  if (stderr) console.error(stderr);
  process.exitCode = code;
}
