import 'reflect-metadata';
import type { ApiEnv } from '../../libs/config';
import { API_ENV, loadApiEnv } from './api.config';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  loadApiEnv(); // fail fast, naming the bad variable, before Nest starts
  const app = await createApiApp();
  const env = app.get<ApiEnv>(API_ENV);
  await app.listen(env.PORT, env.HOST);
  const url = await app.getUrl();
  console.log(
    `tminus API listening on ${url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost')} (docs at /docs)`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
