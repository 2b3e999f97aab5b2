/**
 * The `tminus` executable as built (package.json `bin`), run the way people run it in a shell: its exit codes,
 * and a reader that closes the pipe early (`tminus plan simulate … | head`).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { addCalendarDays, localDateOf } from '../../libs/domain';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'dist', 'scripts', 'cli', 'tminus.js');
const PROVINCE = path.join(ROOT, 'libs', 'templates', 'data', 'province.yaml');

/** Runs tminus; with `firstLines`, the reader stops after that many lines, as `| head -n N` does. */
function tminus(args: string[], firstLines?: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (firstLines !== undefined && out.split('\n').length > firstLines) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('the tminus command', () => {
  const congressDay = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 200);

  it('says OK with exit 0 for a shipped template, and exit 2 for a file that is not there', async () => {
    const ok = await tminus(['plan', 'validate', PROVINCE]);
    expect([ok.code, ok.out]).toEqual([0, expect.stringMatching(/^OK: .*province\.yaml/)]);
    const missing = await tminus(['plan', 'validate', path.join(ROOT, 'khong-co.yaml')]);
    expect([missing.code, missing.err]).toEqual([2, expect.stringContaining('cannot read the file')]);
  });

  it('stops quietly when its reader closes the pipe after the first lines', async () => {
    const whole = await tminus(['plan', 'simulate', PROVINCE, '--congress-day', congressDay]);
    expect(whole.code).toBe(0);
    expect(whole.out.split('\n').length).toBeGreaterThan(100);
    const head = await tminus(['plan', 'simulate', PROVINCE, '--congress-day', congressDay], 3);
    expect(head.err).not.toMatch(/EPIPE|Error/);
    expect(head.code).toBe(0);
  });
});
