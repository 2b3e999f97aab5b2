import { parseBenchArgs, SECTIONS, UsageError, type BenchSettings } from './cli';

const settings = (argv: string[]) => parseBenchArgs(argv) as BenchSettings;

describe('bench command line', () => {
  it('defaults to the short mode with every section and the issue’s sample sizes', () => {
    const s = settings([]);
    expect(s.mode).toBe('short');
    expect(s.sections).toEqual([...SECTIONS]);
    expect(s.latency.repeats * s.latency.samples).toBeGreaterThanOrEqual(300);
    expect(s.lag.plans * s.lag.tasksPerPlan).toBe(1000);
    expect(s.throughput.concurrency).toEqual([8, 32]);
    expect(s.failOnMiss).toBe(false);
  });

  it('long mode takes more samples and starts 1,000 plans', () => {
    const s = settings(['--mode', 'long']);
    expect(s.latency.repeats * s.latency.samples).toBeGreaterThan(settings([]).latency.repeats * 100);
    expect(s.start.plans).toBe(1000);
    expect(s.lag.repeats).toBeGreaterThan(1);
  });

  it('keeps the sections asked for, in the bench’s own order', () => {
    expect(settings(['--only', 'start,latency']).sections).toEqual(['latency', 'start']);
  });

  it('has a typical-life section of 4–6 plans of about 20 tasks', () => {
    expect(settings(['--only', 'typical']).sections).toEqual(['typical']);
    for (const s of [settings([]), settings(['--mode', 'long'])]) {
      expect(s.typical.plans).toBeGreaterThanOrEqual(4);
      expect(s.typical.plans).toBeLessThanOrEqual(6);
      expect(s.typical.deadlines * s.typical.tasksPerDeadline).toBe(20);
    }
  });

  it('accepts --out for a JSON file and --fail-on-miss', () => {
    const s = settings(['--out=results/x.json', '--fail-on-miss']);
    expect(s.out).toBe('results/x.json');
    expect(s.failOnMiss).toBe(true);
  });

  it.each([
    [['--mode', 'medium'], /--mode must be short or long/],
    [['--only', 'latency,speed'], /unknown section\(s\) speed/],
    [['--only', ''], /unknown section/],
    [['--out', 'results.txt'], /\.json/],
    [['--samples', '5'], /Unknown option '--samples'/],
    [['latency'], /positional/i],
    [['--fail-on-miss=yes'], /does not take an argument/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(UsageError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });

  it('answers --help with the usage', () => {
    expect(parseBenchArgs(['--help'])).toBe('help');
  });
});
