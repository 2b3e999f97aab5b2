/**
 * Verifies the bearer JWT (TokenVerifier: HS256 secret or an identity provider's JWKS) and checks the route's roles and the token's unit scope. Authorization
 * lives here, in one guard, so that it can be tested on its own and audited in one place.
 */
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ROLES_KEY } from './auth.decorators';
import { ROLES, type AuthenticatedUser, type Role } from './roles';
import { TokenVerifier } from './token-verifier';

/**
 * Whether `user` may call a route that requires `required` roles, on the plan of `unitCode` (when the route
 * names one). A token limited to units may not make congress-wide changes (`congressWide`: create a congress,
 * move congress day, add a plan…): those reach the plans of every unit, not only its own.
 */
export function decideAccess(
  user: AuthenticatedUser,
  required: Role[],
  unitCode: string | undefined,
  congressWide = false,
): { allowed: true } | { allowed: false; reason: string } {
  const hasRole = user.roles.includes('admin') || required.length === 0 || required.some((r) => user.roles.includes(r));
  if (!hasRole) return { allowed: false, reason: `requires one of the roles: ${[...required, 'admin'].join(', ')}` };
  if (user.units !== undefined) {
    if (unitCode !== undefined && !user.units.includes(unitCode)) {
      return { allowed: false, reason: `this token is limited to units ${user.units.join(', ')}` };
    }
    if (congressWide) {
      return {
        allowed: false,
        reason: `this token is limited to units ${user.units.join(', ')}: congress-wide changes need a token without units`,
      };
    }
  }
  return { allowed: true };
}

export function toAuthenticatedUser(payload: Record<string, unknown>): AuthenticatedUser {
  const { sub, name, roles, units } = payload;
  if (typeof sub !== 'string' || !sub) throw new UnauthorizedException('token has no subject (sub)');
  if (!Array.isArray(roles) || roles.some((r) => !ROLES.includes(r as Role))) {
    throw new UnauthorizedException(`token roles must be a list of ${ROLES.join(', ')}`);
  }
  if (units !== undefined && (!Array.isArray(units) || units.some((u) => typeof u !== 'string'))) {
    throw new UnauthorizedException('token units must be a list of unit codes');
  }
  return {
    sub,
    name: typeof name === 'string' && name ? name : sub,
    roles: roles as Role[],
    ...(units !== undefined ? { units: units as string[] } : {}),
  };
}

@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('missing bearer token (Authorization: Bearer <token>)');
    const user = toAuthenticatedUser(await this.tokens.verify(match[1]));
    const required =
      this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    const unitCode = typeof request.params?.unitCode === 'string' ? request.params.unitCode : undefined;
    // Every change that names no unit is congress-wide; reads without a unit are filtered by scope instead.
    const congressWide = unitCode === undefined && !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    const decision = decideAccess(user, required, unitCode, congressWide);
    if (!decision.allowed) throw new ForbiddenException(decision.reason);
    request.user = user;
    return true;
  }
}
