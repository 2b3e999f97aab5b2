/**
 * Mints a bearer token for local use, signed with JWT_SECRET (the dev default when unset).
 *
 *   npm run token -- --sub btv-1 --name "Ủy viên Ban Thường vụ 1" --roles approver [--units BPTT,BPHC] [--hours 12]
 */
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Role } from '../apps/api/auth/roles';

/** For local use only: `npm start` signs with it unless JWT_SECRET is set; production sets its own. */
export const LOCAL_JWT_SECRET = 'tminus-local-development-secret';

export function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`unexpected argument "${argv[i]}"`);
    args[match[1]] = match[2] ?? argv[++i] ?? '';
  }
  return args;
}

export function mintToken(
  secret: string,
  claims: { sub: string; name: string; roles: Role[]; units?: string[] },
  hours = 12,
): string {
  return new JwtService({ secret }).sign(claims, { algorithm: 'HS256', expiresIn: `${hours}h` });
}

if (require.main === module) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const roles = (args.roles ?? 'coordinator').split(',').filter(Boolean) as Role[];
    const bad = roles.filter((r) => !ROLES.includes(r));
    if (bad.length > 0) throw new Error(`unknown roles ${bad.join(', ')} (use ${ROLES.join(', ')})`);
    const sub = args.sub ?? 'local-user';
    const token = mintToken(
      process.env.JWT_SECRET ?? LOCAL_JWT_SECRET,
      { sub, name: args.name ?? sub, roles, ...(args.units ? { units: args.units.split(',') } : {}) },
      Number(args.hours ?? 12),
    );
    console.log(token);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  }
}
