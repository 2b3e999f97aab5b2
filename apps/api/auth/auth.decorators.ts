import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthResponses } from '../common/api-docs';
import { JwtAuthGuard } from './jwt-auth.guard';
import type { AuthenticatedUser, Role } from './roles';

export const ROLES_KEY = 'tminus:roles';
export const PUBLIC_KEY = 'tminus:public';

/** Requires a valid bearer token with one of `roles` (admin always passes); documents it in OpenAPI. */
export function Authenticated(...roles: Role[]) {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    UseGuards(JwtAuthGuard),
    ApiBearerAuth(),
    AuthResponses([...roles, 'admin']),
  );
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedUser => {
  const request = ctx.switchToHttp().getRequest<Request & { user: AuthenticatedUser }>();
  return request.user;
});
