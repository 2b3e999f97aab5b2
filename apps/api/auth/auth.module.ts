import { Global, Module } from '@nestjs/common';
import type { ApiEnv } from '../../../libs/config';
import { API_ENV } from '../api.config';
import { JwtAuthGuard } from './jwt-auth.guard';
import { TokenVerifier } from './token-verifier';

/** The token policy from the environment, built once: the secret key and the JWKS client live as long as the API. */
export function tokenVerifierFrom(env: ApiEnv): TokenVerifier {
  return new TokenVerifier({
    secret: env.JWT_SECRET,
    jwksUrl: env.JWT_JWKS_URL,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    maxLifetimeSeconds: env.JWT_MAX_LIFETIME_HOURS * 3600,
  });
}

@Global()
@Module({
  providers: [{ provide: TokenVerifier, inject: [API_ENV], useFactory: tokenVerifierFrom }, JwtAuthGuard],
  exports: [TokenVerifier, JwtAuthGuard],
})
export class AuthModule {}
