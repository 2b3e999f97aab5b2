/** Connection options for the client (API) and the native connection (worker), from one validated config. */
import { readFileSync } from 'node:fs';
import type { TemporalEnv } from './env';

export interface TemporalConnectionConfig {
  address: string;
  tls?:
    | boolean
    | { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer; serverNameOverride?: string };
  apiKey?: string;
}

export function temporalConnectionConfig(env: TemporalEnv): TemporalConnectionConfig {
  const wantsTls =
    env.TEMPORAL_TLS === true || !!env.TEMPORAL_TLS_CERT_PATH || !!env.TEMPORAL_TLS_CA_PATH || !!env.TEMPORAL_API_KEY;
  let tls: TemporalConnectionConfig['tls'];
  if (wantsTls) {
    tls = {
      ...(env.TEMPORAL_TLS_CERT_PATH && env.TEMPORAL_TLS_KEY_PATH
        ? {
            clientCertPair: {
              crt: readFileSync(env.TEMPORAL_TLS_CERT_PATH),
              key: readFileSync(env.TEMPORAL_TLS_KEY_PATH),
            },
          }
        : {}),
      ...(env.TEMPORAL_TLS_CA_PATH ? { serverRootCACertificate: readFileSync(env.TEMPORAL_TLS_CA_PATH) } : {}),
      ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
    };
    if (Object.keys(tls).length === 0) tls = true;
  }
  return {
    address: env.TEMPORAL_ADDRESS,
    ...(tls !== undefined ? { tls } : {}),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
  };
}
