/**
 * `npm run bench`: the performance proof. Starts its own Temporal dev server, worker, API and loopback webhook
 * receiver on free ports, then measures against the targets of issue 7 and prints one table:
 *
 * - latency     the API against the raw SDK, the same update on the same plan, serial, arms interleaved
 * - throughput  the same at 8 and 32 concurrent clients
 * - lag         1,000 tasks due at one instant over 100 plans: notice arrival − deadline
 * - slow        compressed plan lives with a prompt receiver, then with one that stalls 3 s and fails 1 in 10
 * - history     events per update, per task over the compressed lives (the worst case), the largest run of any
 *               workflow; also runs typical
 * - typical     a typical plan life modelled on the templates, under its congress: events per task
 * - start       1,000 plans of 100 tasks (200 in short mode) started through the API; worker memory, SQLite
 *
 *   npm run bench -- [--mode short|long] [--out file.json] [--only latency,throughput] [--fail-on-miss]
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseBenchArgs, USAGE, UsageError, type BenchSettings } from './bench/cli';
import { loadText, type BenchContext } from './bench/context';
import { measureLatency, measureThroughput } from './bench/cost';
import { checkAllRuns, measureEventsPerUpdate } from './bench/history';
import { measureLag } from './bench/lag';
import { runLives, type LifeResult } from './bench/life';
import { runTypicalLife } from './bench/typical-life';
import { printTable, writeJson, type Row } from './bench/report';
import { startBenchStack } from './bench/stack';
import { measureStartRate } from './bench/start';
import { projectRoot } from './dev-server';

function commitOf(root: string): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
    });
    return dirty.trim() ? `${head}+changes` : head;
  } catch {
    return undefined;
  }
}

async function run(settings: BenchSettings): Promise<number> {
  const root = projectRoot();
  const startedAt = new Date();
  const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const meta = {
    mode: settings.mode,
    startedAt: startedAt.toISOString(),
    commit: commitOf(root),
    node: process.version,
    cpus: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAtStart: loadText(),
    sections: settings.sections,
  };
  log(
    `tminus bench, ${settings.mode} mode, commit ${meta.commit ?? '?'}, ${meta.cpus} cores, load ${meta.loadAtStart}`,
  );
  const stack = await startBenchStack(log);
  // Ctrl-C stops what the bench started before leaving.
  const interrupt = () => {
    log('interrupted: stopping the stack');
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const ctx: BenchContext = { stack, settings, log };
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  const failures: Record<string, string> = {};
  const want = (s: BenchSettings['sections'][number]) => settings.sections.includes(s);
  const section = async <T>(name: string, fn: () => Promise<{ result: T; rows: Row[] }>): Promise<T | undefined> => {
    try {
      const { result, rows: more } = await fn();
      results[name] = result;
      rows.push(...more);
      return result;
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures[name] = message;
      log(`${name} FAILED: ${message}`);
      rows.push({ section: name, measure: 'did not complete', figure: 'error', target: 'see log', met: false });
      return undefined;
    }
  };
  try {
    if (want('latency')) await section('latency', () => measureLatency(ctx));
    if (want('throughput')) await section('throughput', () => measureThroughput(ctx));
    if (want('history')) await section('eventsPerUpdate', () => measureEventsPerUpdate(ctx));
    if (want('lag')) await section('lag', () => measureLag(ctx));
    let prompt: LifeResult | undefined;
    if (want('slow') || want('history')) prompt = await section('promptLife', () => runLives(ctx, 'prompt', false));
    if (want('slow')) await section('slowLife', () => runLives(ctx, 'slow', true));
    if (want('history') && prompt) {
      // The worst case, printed: every ladder task reminded and escalated three times, each a wake-up with its
      // own delivery (at least 11 events: timer, two workflow tasks, an activity, the next timer).
      rows.push({
        section: 'history',
        measure: `events per task, worst case (${prompt.plans} compressed lives of ${prompt.tasksPerPlan} tasks: every ladder task reminded and escalated 3 times)`,
        figure: `${prompt.eventsPerTask.max.toFixed(1)} (mean ${prompt.eventsPerTask.mean.toFixed(1)})`,
        target: 'printed (≥ 11 per wake-up with a notice)',
      });
    }
    if (want('typical') || want('history')) await section('typicalLife', () => runTypicalLife(ctx));
    if (want('start')) await section('start', () => measureStartRate(ctx));
    if (want('history')) await section('runs', () => checkAllRuns(ctx));
  } finally {
    log('stopping the stack');
    await stack.stop();
  }
  const finishedAt = new Date();
  console.log(
    `\ntminus bench (${settings.mode}) — ${((finishedAt.getTime() - startedAt.getTime()) / 60_000).toFixed(1)} min, ` +
      `load at start ${meta.loadAtStart}, at end ${loadText()}\n`,
  );
  printTable(rows);
  const out =
    settings.out ??
    path.join(root, 'bench-results', `bench-${settings.mode}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const file = writeJson(out, {
    meta: { ...meta, finishedAt: finishedAt.toISOString(), loadAtEnd: loadText(), logs: stack.dir },
    rows,
    results,
    failures,
  });
  console.log(`\nJSON: ${file}\nprocess logs: ${stack.dir}`);
  const missed = rows.filter((r) => r.met === false).length;
  console.log(missed === 0 ? 'every target met' : `${missed} target(s) missed`);
  return settings.failOnMiss && missed > 0 ? 1 : Object.keys(failures).length > 0 ? 2 : 0;
}

async function main(): Promise<void> {
  let settings;
  try {
    settings = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      process.exit(64);
    }
    throw err;
  }
  if (settings === 'help') {
    console.log(USAGE);
    return;
  }
  process.exitCode = await run(settings);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
