import { validateEnv, WorkerEnv } from '../../libs/config';

export const WORKER_ENV = Symbol('WORKER_ENV');

export function loadWorkerEnv(raw: Record<string, unknown> = process.env): WorkerEnv {
  return validateEnv(WorkerEnv, raw);
}
