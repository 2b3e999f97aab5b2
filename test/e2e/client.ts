/** HTTP helpers for e2e tests: tokens for each role and a supertest agent on the running API. */
import request from 'supertest';
import { mintToken } from '../../scripts/mint-token';
import type { Role } from '../../apps/api/auth/roles';
import { E2E_JWT_SECRET } from './stack';
import { readFileSync } from 'node:fs';

let nextApi = 0;
/** The API under test; with several instances (TMINUS_E2E_API_URLS, the cluster test), each request takes the next. */
export const apiUrl = () => {
  const several = process.env.TMINUS_E2E_API_URLS?.split(',').filter(Boolean);
  return several && several.length > 0 ? several[nextApi++ % several.length] : process.env.TMINUS_E2E_API_URL!;
};
export const api = () => request(apiUrl());

export function token(sub: string, roles: Role[], units?: string[]): string {
  return mintToken(E2E_JWT_SECRET, { sub, name: sub, roles, ...(units ? { units } : {}) });
}

export const bearer = (sub: string, roles: Role[], units?: string[]) => `Bearer ${token(sub, roles, units)}`;

export interface WebhookCall {
  headers: Record<string, string>;
  body: string;
}

export function webhookCalls(): WebhookCall[] {
  return readFileSync(process.env.TMINUS_E2E_WEBHOOK_LOG!, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as WebhookCall);
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
