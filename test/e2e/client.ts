/** HTTP helpers for e2e tests: tokens for each role and a supertest agent on the running API. */
import request from 'supertest';
import { mintToken } from '../../scripts/mint-token';
import type { Role } from '../../apps/api/auth/roles';
import { E2E_JWT_SECRET } from './stack';
import { readFileSync } from 'node:fs';
import { addCalendarDays, localDateOf, provincialCongress, type UnitPlanDefinition } from '../../libs/domain';

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

/**
 * Creates a congress (a provincial one, 60 days ahead) with `plans` through the API at `url`, and resolves
 * with the path of its first plan once that plan answers.
 */
export async function startCongress(url: string, congressId: string, plans: UnitPlanDefinition[]): Promise<string> {
  const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 60);
  const coordinator = bearer('vptu-tt1', ['coordinator']);
  await request(url)
    .post('/congresses')
    .set('Authorization', coordinator)
    .send({ congress: provincialCongress(congressId, startDate), plans })
    .expect(201);
  const path = `/plans/${congressId}/${plans[0].unitCode}`;
  for (let i = 0; !(await request(url).get(path).set('Authorization', coordinator)).ok; i++) {
    if (i > 150) throw new Error(`plan ${path} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return path;
}
