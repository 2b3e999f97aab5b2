import { ApiEnv, validateEnv } from '../../libs/config';

export const API_ENV = Symbol('API_ENV');

export function loadApiEnv(raw: Record<string, unknown> = process.env): ApiEnv {
  return validateEnv(ApiEnv, raw);
}
