/** The permission rules, tested without booting Nest. */
import { UnauthorizedException } from '@nestjs/common';
import { decideAccess, toAuthenticatedUser } from './jwt-auth.guard';
import type { AuthenticatedUser } from './roles';

const user = (roles: AuthenticatedUser['roles'], units?: string[]): AuthenticatedUser => ({
  sub: 'u',
  name: 'U',
  roles,
  ...(units ? { units } : {}),
});

describe('decideAccess', () => {
  it.each([
    [['coordinator'], ['coordinator'], true],
    [['viewer'], ['coordinator'], false],
    [['approver'], ['coordinator'], false],
    [['admin'], ['coordinator'], true],
    [['viewer'], ['viewer', 'coordinator', 'approver'], true],
    [['approver'], ['approver'], true],
    [[], ['approver'], false],
  ] as const)('roles %j on a route for %j → %s', (roles, required, allowed) => {
    expect(decideAccess(user([...roles]), [...required], undefined).allowed).toBe(allowed);
  });

  it('keeps a unit-scoped token to its own units, and away from congress-wide changes', () => {
    const scoped = user(['coordinator'], ['BPHC']);
    expect(decideAccess(scoped, ['coordinator'], 'BPHC').allowed).toBe(true);
    const other = decideAccess(scoped, ['coordinator'], 'BPTT');
    expect(other).toEqual({ allowed: false, reason: expect.stringContaining('BPHC') });
    expect(decideAccess(scoped, ['coordinator'], undefined, true).allowed).toBe(false);
    expect(decideAccess(user(['coordinator']), ['coordinator'], undefined, true).allowed).toBe(true);
  });

  it('names the roles a refused route needs', () => {
    expect(decideAccess(user(['viewer']), ['coordinator'], undefined)).toEqual({
      allowed: false,
      reason: 'requires one of the roles: coordinator, admin',
    });
  });
});

describe('toAuthenticatedUser', () => {
  it('accepts the documented claims and defaults the name to the subject', () => {
    expect(toAuthenticatedUser({ sub: 'btv-1', roles: ['approver'] })).toEqual({
      sub: 'btv-1',
      name: 'btv-1',
      roles: ['approver'],
    });
    expect(toAuthenticatedUser({ sub: 'x', name: 'X', roles: ['viewer'], units: ['BPTT'] })).toEqual({
      sub: 'x',
      name: 'X',
      roles: ['viewer'],
      units: ['BPTT'],
    });
  });

  it.each([
    [{ roles: ['viewer'] }, /sub/],
    [{ sub: 'x', roles: ['root'] }, /roles/],
    [{ sub: 'x', roles: 'admin' }, /roles/],
    [{ sub: 'x', roles: ['viewer'], units: 'BPTT' }, /units/],
  ])('refuses %j', (payload, message) => {
    expect(() => toAuthenticatedUser(payload)).toThrow(UnauthorizedException);
    expect(() => toAuthenticatedUser(payload)).toThrow(message);
  });
});
