/** `npm run bench -- [options]`: strict parsing (an unknown or malformed option is an error, not ignored). */
import { parseArgs } from 'node:util';

export const SECTIONS = ['latency', 'throughput', 'lag', 'slow', 'history', 'typical', 'start'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchSettings {
  mode: 'short' | 'long';
  out?: string;
  sections: Section[];
  failOnMiss: boolean;
  /** Serial API-vs-SDK latency: warm-up updates per arm, then repeats × samples per arm. */
  latency: { warmup: number; repeats: number; samples: number };
  /** Throughput per arm and concurrency: repeats of `seconds` each, after `warmupSeconds` not counted. */
  throughput: { concurrency: number[]; repeats: number; seconds: number; warmupSeconds: number };
  /** Escalation lag: `plans` × `tasksPerPlan` tasks due at one instant, `leadSeconds` after the plans start. */
  lag: { repeats: number; plans: number; tasksPerPlan: number; leadSeconds: number };
  /** Compressed plan lives (reminders, ladder steps, approval deadlines, closing within a minute or so). */
  life: { plans: number; ladderTasks: number };
  /**
   * A typical plan life under a congress: `deadlines` dates × `tasksPerDeadline` tasks per plan (one per date
   * overdue), `approvals` tasks approved, `checkIns` check-ins. Also run by the history section.
   */
  typical: { plans: number; deadlines: number; tasksPerDeadline: number; approvals: number; checkIns: number };
  /** Start rate: plans of `tasksPerPlan` tasks, `plansPerCongress` per POST /congresses. */
  start: { plans: number; tasksPerPlan: number; plansPerCongress: number; concurrency: number };
}

const USAGE = `Usage: npm run bench -- [--mode short|long] [--out FILE.json] [--only ${SECTIONS.join(',')}] [--fail-on-miss]

  --mode short   (default) fits in CI: 300 serial samples per arm, 1,000 tasks for the lag, 200 plans started
  --mode long    more samples and repeats: 1,500 serial samples per arm, 3 lag runs, 1,000 plans started
  --out FILE     where the JSON goes (default bench-results/bench-<mode>-<time>.json)
  --only LIST    run only these sections (comma-separated; history includes typical)
  --fail-on-miss exit with code 1 when a target is missed`;

export class UsageError extends Error {}

export function parseBenchArgs(argv: string[]): BenchSettings | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        mode: { type: 'string', default: 'short' },
        out: { type: 'string' },
        only: { type: 'string' },
        'fail-on-miss': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const mode = values.mode;
  if (mode !== 'short' && mode !== 'long')
    throw new UsageError(`--mode must be short or long, not "${mode}"\n\n${USAGE}`);
  let sections: Section[] = [...SECTIONS];
  if (values.only !== undefined) {
    const asked = values.only.split(',').map((s) => s.trim());
    const unknown = asked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
    if (unknown.length > 0 || asked.length === 0 || asked.includes('')) {
      throw new UsageError(`--only: unknown section(s) ${unknown.join(', ') || '""'} (use ${SECTIONS.join(', ')})`);
    }
    sections = SECTIONS.filter((s) => asked.includes(s));
  }
  if (values.out !== undefined && !values.out.endsWith('.json')) throw new UsageError('--out must name a .json file');
  const long = mode === 'long';
  return {
    mode,
    ...(values.out !== undefined ? { out: values.out } : {}),
    sections,
    failOnMiss: values['fail-on-miss'] ?? false,
    latency: long ? { warmup: 50, repeats: 5, samples: 300 } : { warmup: 30, repeats: 3, samples: 100 },
    throughput: long
      ? { concurrency: [8, 32], repeats: 5, seconds: 12, warmupSeconds: 2 }
      : { concurrency: [8, 32], repeats: 3, seconds: 4, warmupSeconds: 1 },
    lag: long
      ? { repeats: 3, plans: 100, tasksPerPlan: 10, leadSeconds: 90 }
      : { repeats: 1, plans: 100, tasksPerPlan: 10, leadSeconds: 90 },
    life: long ? { plans: 40, ladderTasks: 6 } : { plans: 12, ladderTasks: 4 },
    typical: { plans: long ? 6 : 5, deadlines: 4, tasksPerDeadline: 5, approvals: 2, checkIns: 4 },
    start: long
      ? { plans: 1000, tasksPerPlan: 100, plansPerCongress: 10, concurrency: 4 }
      : { plans: 200, tasksPerPlan: 100, plansPerCongress: 10, concurrency: 4 },
  };
}

export { USAGE };
