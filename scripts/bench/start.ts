/**
 * Start rate: plans of 100 tasks (the templates' generated plan), `plansPerCongress` per POST /congresses,
 * a few requests at a time. A plan counts as started once it has run its first workflow task (its status is
 * published to visibility), so the rate includes the congress workflows starting their children and the
 * worker's first turn of every plan. Then the worker's memory and the SQLite file per plan.
 */
import { generatedPlan } from '../../libs/domain';
import { SA } from '../../libs/contracts';
import { loadText, mapLimit, sleep, startCongressThroughApi, type BenchContext } from './context';
import { futureCongress, unitCode } from './fixtures';
import type { Row } from './report';
import { databaseBytes, residentBytes } from './stack';

export interface StartResult {
  plans: number;
  tasksPerPlan: number;
  started: number;
  acceptedSeconds: number;
  startedSeconds: number;
  plansPerSecond: number;
  workerRssBefore?: number;
  workerRssAfter?: number;
  workerBytesPerPlan?: number;
  sqliteBytesPerPlan: number;
  load: string;
}

const DRAFTS = `${SA.kind.name} = 'plan' AND ${SA.status.name} = 'draft'`;

async function countDrafts(ctx: BenchContext): Promise<number> {
  return (await ctx.stack.client.workflow.count(DRAFTS)).count;
}

export async function measureStartRate(ctx: BenchContext): Promise<{ result: StartResult; rows: Row[] }> {
  const { plans, tasksPerPlan, plansPerCongress, concurrency } = ctx.settings.start;
  const load = loadText();
  const baseline = await countDrafts(ctx);
  const rssBefore = residentBytes(ctx.stack.workerPid);
  const dbBefore = databaseBytes(ctx.stack.dbFile);
  const now = Date.now();
  const congresses = Math.ceil(plans / plansPerCongress);
  const bodies = Array.from({ length: congresses }, (_, c) => {
    const count = Math.min(plansPerCongress, plans - c * plansPerCongress);
    return {
      congress: futureCongress(`bench-start-${c + 1}`, now),
      plans: Array.from({ length: count }, (_, p) =>
        generatedPlan(tasksPerPlan, { unitCode: unitCode('ST', c * plansPerCongress + p + 1) }),
      ),
    };
  });
  ctx.log(
    `start rate: ${plans} plans of ${tasksPerPlan} tasks in ${congresses} congresses, ${concurrency} requests at a time`,
  );
  const t0 = Date.now();
  await mapLimit(bodies, concurrency, (b) => startCongressThroughApi(ctx, b.congress, b.plans));
  const accepted = Date.now();
  let started = 0;
  let startedAt = accepted;
  const giveUpAt = t0 + Math.max(120_000, plans * 200);
  for (;;) {
    started = (await countDrafts(ctx)) - baseline;
    startedAt = Date.now();
    if (started >= plans || startedAt > giveUpAt) break;
    await sleep(500);
  }
  const startedSeconds = (startedAt - t0) / 1000;
  ctx.log(
    `  API accepted all in ${((accepted - t0) / 1000).toFixed(1)} s; ${started}/${plans} plans started in ${startedSeconds.toFixed(1)} s`,
  );
  // Let the worker and the database settle before reading their sizes.
  await sleep(5000);
  const rssAfter = residentBytes(ctx.stack.workerPid);
  const dbAfter = databaseBytes(ctx.stack.dbFile);
  const result: StartResult = {
    plans,
    tasksPerPlan,
    started,
    acceptedSeconds: (accepted - t0) / 1000,
    startedSeconds,
    plansPerSecond: started / startedSeconds,
    ...(rssBefore !== undefined ? { workerRssBefore: rssBefore } : {}),
    ...(rssAfter !== undefined ? { workerRssAfter: rssAfter } : {}),
    ...(rssBefore !== undefined && rssAfter !== undefined
      ? { workerBytesPerPlan: (rssAfter - rssBefore) / plans }
      : {}),
    sqliteBytesPerPlan: (dbAfter - dbBefore) / plans,
    load,
  };
  const kib = (b: number | undefined) => (b === undefined ? 'n/a' : `${(b / 1024).toFixed(0)} KiB`);
  return {
    result,
    rows: [
      {
        section: 'start',
        measure: `${plans} plans of ${tasksPerPlan} tasks started (first workflow task done)`,
        figure: `${result.plansPerSecond.toFixed(0)} plans/s`,
        target: '≥ 50 plans/s',
        met: result.plansPerSecond >= 50 && started >= plans,
      },
      {
        section: 'start',
        measure: 'worker memory per cached plan (RSS growth / plans)',
        figure: kib(result.workerBytesPerPlan),
        target: `RSS ${kib(rssBefore)} → ${kib(rssAfter)}`,
      },
      {
        section: 'start',
        measure: 'SQLite bytes per plan (file growth / plans)',
        figure: kib(result.sqliteBytesPerPlan),
        target: 'printed',
      },
    ],
  };
}
