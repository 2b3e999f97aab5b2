/**
 * Start rate: plans of 100 tasks (the templates' generated plan). Through the API, `plansPerCongress` per
 * POST /congresses, a few requests at a time (the congress workflow starts its plans); then, for comparison,
 * the same number started directly with the client, many at a time (the floor Temporal and the worker set).
 * A plan counts as started once it has run its first workflow task (its status is in visibility). Then the
 * worker's resident memory and the SQLite file, per plan.
 */
import { SA } from '../../libs/contracts';
import { generatedPlan } from '../../libs/domain';
import { loadText, mapLimit, sleep, startCongressThroughApi, startPlanDirectly, type BenchContext } from './context';
import { futureCongress, unitCode } from './fixtures';
import type { Row } from './report';
import { databaseBytes, residentBytes } from './stack';

interface StartArm {
  plans: number;
  started: number;
  /** Seconds until every request was answered. */
  acceptedSeconds: number;
  /** Seconds until every plan had run its first workflow task (or the bench gave up). */
  startedSeconds: number;
  plansPerSecond: number;
  load: string;
}

export interface StartResult {
  tasksPerPlan: number;
  api: StartArm;
  direct: StartArm;
  /** Bare workflows with the same input, started with the client: the first task only sets one attribute. */
  rawSdk: StartArm;
  workerRssBefore?: number;
  workerRssAfter?: number;
  workerBytesPerPlan?: number;
  sqliteBytesPerPlan: number;
}

/** Plans (or raw-SDK workflows) that have run their first workflow task (status published), optionally of one congress. */
async function countDrafts(ctx: BenchContext, congressId?: string, kind = 'plan'): Promise<number> {
  const query = `${SA.kind.name} = '${kind}' AND ${SA.status.name} = 'draft'${congressId ? ` AND ${SA.congress.name} = '${congressId}'` : ''}`;
  return (await ctx.stack.client.workflow.count(query)).count;
}

async function startArm(
  ctx: BenchContext,
  plans: number,
  launch: () => Promise<unknown>,
  congressId?: string,
  kind = 'plan',
): Promise<StartArm> {
  const load = loadText();
  const baseline = congressId ? 0 : await countDrafts(ctx, undefined, kind);
  const t0 = Date.now();
  await launch();
  const accepted = Date.now();
  const giveUpAt = t0 + Math.max(120_000, plans * 200);
  let started = 0;
  let startedAt = accepted;
  for (;;) {
    started = (await countDrafts(ctx, congressId, kind)) - baseline;
    startedAt = Date.now();
    if (started >= plans || startedAt > giveUpAt) break;
    await sleep(500);
  }
  const startedSeconds = (startedAt - t0) / 1000;
  return {
    plans,
    started,
    acceptedSeconds: (accepted - t0) / 1000,
    startedSeconds,
    plansPerSecond: started / startedSeconds,
    load,
  };
}

/** The floor: the same number of bare workflows, each given a plan's input, started like the direct arm. */
async function rawSdkArm(ctx: BenchContext, plans: number, tasksPerPlan: number, now: number): Promise<StartArm> {
  const congress = futureCongress('bench-start-raw', now);
  ctx.log(`start rate: ${plans} bare workflows with the same input (raw SDK), 16 at a time`);
  const arm = await startArm(
    ctx,
    plans,
    () =>
      mapLimit(
        Array.from({ length: plans }, (_, i) => i),
        16,
        (i) => {
          const plan = generatedPlan(tasksPerPlan, { unitCode: unitCode('SR', i + 1) });
          return ctx.stack.client.workflow.start('baselineStart', {
            workflowId: `bench-baseline/${congress.id}/${plan.unitCode}`,
            taskQueue: ctx.stack.baselineTaskQueue,
            args: [{ payload: { kind: 'start', congress, plan } }],
            typedSearchAttributes: [
              { key: SA.congress, value: congress.id },
              { key: SA.kind, value: 'baseline' },
            ],
          });
        },
      ),
    congress.id,
    'baseline',
  );
  ctx.log(
    `  ${arm.started}/${plans} started in ${arm.startedSeconds.toFixed(1)} s = ${arm.plansPerSecond.toFixed(1)}/s`,
  );
  return arm;
}

export async function measureStartRate(ctx: BenchContext): Promise<{ result: StartResult; rows: Row[] }> {
  const { plans, tasksPerPlan, plansPerCongress, concurrency } = ctx.settings.start;
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
    `start rate: ${plans} plans of ${tasksPerPlan} tasks through the API, ${congresses} congresses, ${concurrency} at a time`,
  );
  const api = await startArm(ctx, plans, () =>
    mapLimit(bodies, concurrency, (b) => startCongressThroughApi(ctx, b.congress, b.plans)),
  );
  ctx.log(
    `  API answered all in ${api.acceptedSeconds.toFixed(1)} s; ${api.started}/${plans} started in ${api.startedSeconds.toFixed(1)} s = ${api.plansPerSecond.toFixed(1)}/s`,
  );
  const direct = futureCongress('bench-start-direct', now);
  const concurrentStarts = 16;
  ctx.log(`start rate: ${plans} plans started directly with the client, ${concurrentStarts} at a time`);
  const directArm = await startArm(
    ctx,
    plans,
    () =>
      mapLimit(
        Array.from({ length: plans }, (_, i) => i),
        concurrentStarts,
        (i) => startPlanDirectly(ctx, direct, generatedPlan(tasksPerPlan, { unitCode: unitCode('SD', i + 1) })),
      ),
    direct.id,
  );
  ctx.log(
    `  ${directArm.started}/${plans} started in ${directArm.startedSeconds.toFixed(1)} s = ${directArm.plansPerSecond.toFixed(1)}/s`,
  );
  // Let the worker and the database settle before reading their sizes.
  await sleep(5000);
  const rssAfter = residentBytes(ctx.stack.workerPid);
  const dbAfter = databaseBytes(ctx.stack.dbFile);
  const total = api.started + directArm.started;
  const result: StartResult = {
    tasksPerPlan,
    api,
    direct: directArm,
    ...(rssBefore !== undefined ? { workerRssBefore: rssBefore } : {}),
    ...(rssAfter !== undefined ? { workerRssAfter: rssAfter } : {}),
    ...(rssBefore !== undefined && rssAfter !== undefined && total > 0
      ? { workerBytesPerPlan: (rssAfter - rssBefore) / total }
      : {}),
    sqliteBytesPerPlan: total > 0 ? (dbAfter - dbBefore) / total : NaN,
    rawSdk: await rawSdkArm(ctx, plans, tasksPerPlan, now),
  };
  const kib = (b: number | undefined) =>
    b === undefined || !Number.isFinite(b) ? 'n/a' : `${(b / 1024).toFixed(0)} KiB`;
  const mib = (b: number | undefined) => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MiB`);
  return {
    result,
    rows: [
      {
        section: 'start',
        measure: `${plans} plans of ${tasksPerPlan} tasks started through the API (first workflow task done)`,
        figure: `${api.plansPerSecond.toFixed(1)} plans/s`,
        target: '≥ 50 plans/s',
        met: api.plansPerSecond >= 50 && api.started >= plans,
      },
      {
        section: 'start',
        measure: `the same started directly with the client (${directArm.started}/${plans})`,
        figure: `${directArm.plansPerSecond.toFixed(1)} plans/s`,
        target: 'for comparison',
      },
      {
        section: 'start',
        measure: `raw SDK: bare workflows with the same input (${result.rawSdk.started}/${plans}), first task sets one attribute`,
        figure: `${result.rawSdk.plansPerSecond.toFixed(1)} /s`,
        target: `tminus through the API at ${((100 * api.plansPerSecond) / result.rawSdk.plansPerSecond).toFixed(0)} % of it`,
      },
      {
        section: 'start',
        measure: `worker memory per cached plan (RSS growth / ${total} plans)`,
        figure: kib(result.workerBytesPerPlan),
        target: `RSS ${mib(rssBefore)} → ${mib(rssAfter)}`,
      },
      {
        section: 'start',
        measure: `SQLite bytes per plan (file growth / ${total} plans)`,
        figure: kib(result.sqliteBytesPerPlan),
        target: 'printed',
      },
    ],
  };
}
