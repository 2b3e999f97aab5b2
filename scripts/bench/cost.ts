/**
 * The API's cost against the raw SDK, both doing the same update (reportProgress on the same task of the same
 * plan): serial latency, arms interleaved sample by sample (the order flipping every pair), and throughput
 * at several concurrencies, arms alternating repeat by repeat. Each repeat gives a ratio; the spread of the
 * ratios across repeats is the noise of the machine.
 */
import { performance } from 'node:perf_hooks';
import { planUpdates, planWorkflowId } from '../../libs/contracts';
import type { Actor } from '../../libs/domain';
import { loadText, startCongressThroughApi, waitForPlans, type BenchContext } from './context';
import { futureCongress, steadyPlan, unitCode } from './fixtures';
import { ms, ratioText, spreadText, type Row } from './report';
import { distribution, spread, type Distribution, type Spread } from './stats';

type Arm = 'sdk' | 'api';
const TASK = 'S-1';
/** The actor the API derives from the bench's token; the raw SDK arm sends the same. */
const ACTOR: Actor = { id: 'bench', name: 'Người đo hiệu năng', roles: ['coordinator', 'approver', 'admin'] };

interface PlanRef {
  congressId: string;
  unitCode: string;
  workflowId: string;
}

function updater(ctx: BenchContext, plan: PlanRef) {
  const handle = ctx.stack.client.workflow.getHandle(plan.workflowId);
  const route = `/plans/${plan.congressId}/${plan.unitCode}/tasks/${TASK}/progress`;
  return {
    async sdk(progress: number): Promise<void> {
      const result = await handle.executeUpdate(planUpdates.reportProgress, {
        args: [{ taskId: TASK, progress, actor: ACTOR }],
      });
      if (!result.ok) throw new Error(`update refused: ${JSON.stringify(result)}`);
    },
    async api(progress: number): Promise<void> {
      const response = await ctx.stack.api.send('POST', route, { progress });
      if (response.status !== 200)
        throw new Error(`${route} answered ${response.status}: ${JSON.stringify(response.body)}`);
    },
  };
}

/** Starts `count` steady plans in one congress through the API. */
export async function steadyPlans(
  ctx: BenchContext,
  congressId: string,
  prefix: string,
  count: number,
): Promise<PlanRef[]> {
  const now = Date.now();
  const plans = Array.from({ length: count }, (_, i) => steadyPlan(unitCode(prefix, i + 1), now));
  await startCongressThroughApi(ctx, futureCongress(congressId, now), plans);
  const refs = plans.map((p) => ({
    congressId,
    unitCode: p.unitCode,
    workflowId: planWorkflowId(congressId, p.unitCode),
  }));
  await waitForPlans(
    ctx,
    refs.map((r) => r.workflowId),
    60_000,
  );
  return refs;
}

export interface LatencyResult {
  samplesPerArm: number;
  errors: Record<Arm, number>;
  overall: Record<Arm, Distribution>;
  repeats: Array<Record<Arm, Distribution> & { p50Ratio: number; p99Ratio: number; load: string }>;
  p50Ratio: Spread;
  p99Ratio: Spread;
  overallP50Ratio: number;
  overallP99Ratio: number;
}

export async function measureLatency(ctx: BenchContext): Promise<{ result: LatencyResult; rows: Row[] }> {
  const { warmup, repeats, samples } = ctx.settings.latency;
  const [plan] = await steadyPlans(ctx, 'bench-latency', 'LAT', 1);
  const update = updater(ctx, plan);
  let progress = 0;
  const nextProgress = () => (progress = (progress % 99) + 1);
  const errors: Record<Arm, number> = { sdk: 0, api: 0 };
  const timed = async (arm: Arm, into?: number[]) => {
    const t0 = performance.now();
    try {
      await update[arm](nextProgress());
    } catch (err) {
      errors[arm]++;
      if (errors[arm] <= 3) ctx.log(`  ${arm} error: ${String(err).slice(0, 200)}`);
      return;
    }
    into?.push(performance.now() - t0);
  };
  ctx.log(`latency: ${warmup} warm-up updates per arm, then ${repeats} × ${samples} per arm, interleaved`);
  for (let i = 0; i < warmup; i++) {
    await timed('sdk');
    await timed('api');
  }
  const all: Record<Arm, number[]> = { sdk: [], api: [] };
  const perRepeat: LatencyResult['repeats'] = [];
  for (let r = 0; r < repeats; r++) {
    const load = loadText();
    const values: Record<Arm, number[]> = { sdk: [], api: [] };
    for (let i = 0; i < samples; i++) {
      const order: Arm[] = i % 2 === 0 ? ['sdk', 'api'] : ['api', 'sdk'];
      for (const arm of order) await timed(arm, values[arm]);
    }
    const sdk = distribution(values.sdk);
    const api = distribution(values.api);
    perRepeat.push({ sdk, api, p50Ratio: api.p50 / sdk.p50, p99Ratio: api.p99 / sdk.p99, load });
    all.sdk.push(...values.sdk);
    all.api.push(...values.api);
    ctx.log(
      `  repeat ${r + 1}: sdk p50 ${sdk.p50.toFixed(1)} p99 ${sdk.p99.toFixed(1)} ms, api p50 ${api.p50.toFixed(1)} p99 ${api.p99.toFixed(1)} ms (load ${load})`,
    );
  }
  const overall = { sdk: distribution(all.sdk), api: distribution(all.api) };
  const result: LatencyResult = {
    samplesPerArm: all.sdk.length,
    errors,
    overall,
    repeats: perRepeat,
    p50Ratio: spread(perRepeat.map((r) => r.p50Ratio)),
    p99Ratio: spread(perRepeat.map((r) => r.p99Ratio)),
    overallP50Ratio: overall.api.p50 / overall.sdk.p50,
    overallP99Ratio: overall.api.p99 / overall.sdk.p99,
  };
  const n = `${result.samplesPerArm}/arm`;
  const rows: Row[] = [
    {
      section: 'latency',
      measure: `API/SDK p50, serial (${n})`,
      figure: ratioText(result.overallP50Ratio),
      spread: spreadText(result.p50Ratio, ratioText),
      target: '≤ 1.30×',
      met: result.overallP50Ratio <= 1.3 && errors.api + errors.sdk === 0,
    },
    {
      section: 'latency',
      measure: `API/SDK p99, serial (${n})`,
      figure: ratioText(result.overallP99Ratio),
      spread: spreadText(result.p99Ratio, ratioText),
      target: '≤ 1.50×',
      met: result.overallP99Ratio <= 1.5 && errors.api + errors.sdk === 0,
    },
    {
      section: 'latency',
      measure: 'update latency SDK / API',
      figure: `p50 ${ms(overall.sdk.p50)} / ${ms(overall.api.p50)}, p99 ${ms(overall.sdk.p99)} / ${ms(overall.api.p99)}`,
      target: `errors ${errors.sdk} / ${errors.api}`,
    },
  ];
  return { result, rows };
}

export interface ThroughputResult {
  concurrency: number;
  repeats: Array<{ sdk: number; api: number; ratio: number; errors: Record<Arm, number>; load: string }>;
  ratio: Spread;
  sdkPerSecond: Spread;
  apiPerSecond: Spread;
}

async function drive(
  update: ReturnType<typeof updater>[],
  arm: Arm,
  clients: number,
  durationMs: number,
): Promise<{ perSecond: number; errors: number }> {
  let ops = 0;
  let errors = 0;
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      let progress = 0;
      while (performance.now() < end) {
        progress = (progress % 99) + 1;
        try {
          await update[i][arm](progress);
          ops++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { perSecond: ops / ((performance.now() - start) / 1000), errors };
}

export async function measureThroughput(ctx: BenchContext): Promise<{ result: ThroughputResult[]; rows: Row[] }> {
  const { concurrency, repeats, seconds, warmupSeconds } = ctx.settings.throughput;
  const most = Math.max(...concurrency);
  // One plan per client: Temporal caps the updates in flight on one workflow, and a plan is one unit's work.
  const plans = await steadyPlans(ctx, 'bench-throughput', 'TP', most);
  const updaters = plans.map((p) => updater(ctx, p));
  const results: ThroughputResult[] = [];
  const rows: Row[] = [];
  for (const clients of concurrency) {
    ctx.log(
      `throughput at ${clients} clients: ${repeats} repeats × ${seconds} s per arm (+${warmupSeconds} s warm-up)`,
    );
    const perRepeat: ThroughputResult['repeats'] = [];
    for (let r = 0; r < repeats; r++) {
      const load = loadText();
      const order: Arm[] = r % 2 === 0 ? ['sdk', 'api'] : ['api', 'sdk'];
      const figures = {} as Record<Arm, { perSecond: number; errors: number }>;
      for (const arm of order) {
        await drive(updaters, arm, clients, warmupSeconds * 1000);
        figures[arm] = await drive(updaters, arm, clients, seconds * 1000);
      }
      const ratio = figures.api.perSecond / figures.sdk.perSecond;
      perRepeat.push({
        sdk: figures.sdk.perSecond,
        api: figures.api.perSecond,
        ratio,
        errors: { sdk: figures.sdk.errors, api: figures.api.errors },
        load,
      });
      ctx.log(
        `  repeat ${r + 1}: sdk ${figures.sdk.perSecond.toFixed(0)}/s, api ${figures.api.perSecond.toFixed(0)}/s = ${ratioText(ratio)}` +
          ` (errors ${figures.sdk.errors}/${figures.api.errors}, load ${load})`,
      );
    }
    const result: ThroughputResult = {
      concurrency: clients,
      repeats: perRepeat,
      ratio: spread(perRepeat.map((r) => r.ratio)),
      sdkPerSecond: spread(perRepeat.map((r) => r.sdk)),
      apiPerSecond: spread(perRepeat.map((r) => r.api)),
    };
    results.push(result);
    const errors = perRepeat.reduce((sum, r) => sum + r.errors.api + r.errors.sdk, 0);
    const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
    rows.push({
      section: 'throughput',
      measure: `API/SDK at ${clients} clients (SDK ${result.sdkPerSecond.median.toFixed(0)}/s, API ${result.apiPerSecond.median.toFixed(0)}/s)`,
      figure: pct(result.ratio.median),
      spread: spreadText(result.ratio, pct),
      target: '≥ 80 %',
      met: result.ratio.median >= 0.8 && errors === 0,
    });
  }
  return { result: results, rows };
}
