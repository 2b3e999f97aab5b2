import { ApiEnv, validateEnv, WorkerEnv } from './env';
import { temporalConnectionConfig } from './temporal-connection';

describe('environment validation', () => {
  it('fills defaults for a worker with no configuration', () => {
    const env = validateEnv(WorkerEnv, {});
    expect(env).toMatchObject({
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'tminus-plans',
      REPORTS_DIR: 'data/reports',
      TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: true,
    });
  });

  it('refuses to start the API without a JWT secret, naming the variable', () => {
    expect(() => validateEnv(ApiEnv, {})).toThrow(/JWT_SECRET/);
  });

  it('takes tokens from an identity provider instead of a secret, and keeps trust proxy off unless set', () => {
    const env = validateEnv(ApiEnv, {
      JWT_JWKS_URL: 'http://127.0.0.1:8080/realms/vptu/protocol/openid-connect/certs',
    });
    expect(env.JWT_SECRET).toBeUndefined();
    expect(env.JWT_MAX_LIFETIME_HOURS).toBe(24);
    expect(env.TRUST_PROXY).toBeUndefined();
    expect(validateEnv(ApiEnv, { JWT_SECRET: 'x'.repeat(16), TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).TRUST_PROXY).toBe(
      '10.0.0.1, 10.0.0.2',
    );
    expect(() => validateEnv(ApiEnv, { JWT_JWKS_URL: 'not a url' })).toThrow(/JWT_JWKS_URL/);
    expect(() => validateEnv(ApiEnv, { JWT_SECRET: 'x'.repeat(16), JWT_MAX_LIFETIME_HOURS: '87600' })).toThrow(
      /JWT_MAX_LIFETIME_HOURS/,
    );
  });

  it('names every malformed variable at once', () => {
    let message = '';
    try {
      validateEnv(ApiEnv, {
        JWT_SECRET: 'short',
        TEMPORAL_ADDRESS: 'no-port',
        PORT: 'eighty',
        TEMPORAL_UI_URL: 'not a url',
        BODY_LIMIT: '1gb',
        LOG_LEVEL: 'loud',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['JWT_SECRET', 'TEMPORAL_ADDRESS', 'PORT', 'TEMPORAL_UI_URL', 'BODY_LIMIT', 'LOG_LEVEL']) {
      expect(message).toContain(name);
    }
  });

  it('converts numbers and booleans from strings', () => {
    const api = validateEnv(ApiEnv, { JWT_SECRET: 'x'.repeat(16), PORT: '8080', THROTTLE_LIMIT: '10' });
    expect(api.PORT).toBe(8080);
    expect(api.THROTTLE_LIMIT).toBe(10);
    const worker = validateEnv(WorkerEnv, { TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: 'false', TEMPORAL_TLS: 'true' });
    expect(worker.TEMPORAL_REGISTER_SEARCH_ATTRIBUTES).toBe(false);
    expect(worker.TEMPORAL_TLS).toBe(true);
  });

  it('needs the client certificate and key together, and a signing secret with a webhook', () => {
    expect(() => validateEnv(WorkerEnv, { TEMPORAL_TLS_CERT_PATH: '/tls/client.pem' })).toThrow(
      /TEMPORAL_TLS_KEY_PATH/,
    );
    expect(() => validateEnv(WorkerEnv, { WEBHOOK_URL: 'https://hooks.example.vn/tminus' })).toThrow(/WEBHOOK_SECRET/);
    expect(() => validateEnv(WorkerEnv, { SMTP_URL: 'mail.example.vn' })).toThrow(/SMTP_URL/);
  });

  it('builds connection options: plain, TLS on request, and TLS implied by an API key', () => {
    expect(temporalConnectionConfig(validateEnv(WorkerEnv, {}))).toEqual({ address: 'localhost:7233' });
    expect(temporalConnectionConfig(validateEnv(WorkerEnv, { TEMPORAL_TLS: 'true' })).tls).toBe(true);
    const cloud = temporalConnectionConfig(
      validateEnv(WorkerEnv, { TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-0123456789' }),
    );
    expect(cloud).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: true, apiKey: 'key-0123456789' });
  });
});
