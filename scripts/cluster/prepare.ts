/**
 * `npm run test:cluster`, first step: installs PostgreSQL when missing and builds the pinned Temporal server once
 * (cached under ~/.cache/tminus, or TMINUS_CACHE_DIR), printing progress, so the tests start on ready parts.
 */
import { prepareCluster } from './cluster';

const log = (line: string) => console.log(`[cluster] ${line}`);

prepareCluster(log)
  .then(({ pgBin, build }) =>
    log(`ready: PostgreSQL from ${pgBin}, Temporal server v${build.version} (${build.server})`),
  )
  .catch((err: unknown) => {
    console.error(`[cluster] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
