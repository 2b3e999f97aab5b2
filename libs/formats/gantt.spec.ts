import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { at, runningPlan } from './fixtures';
import { createPlanState, logisticsPlan, provincialCongress } from '../domain';
import { GANTT_COLOURS, criticalPath, dependencyChains, ganttSvg, projectedDeadlines } from './gantt';

const NOW = at('2026-09-20');

function chromiumBinary(): string | undefined {
  for (const candidate of [process.env.CHROMIUM, 'chromium', 'chromium-browser'].filter(Boolean) as string[]) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

/** Renders an SVG file in headless Chromium (Debian's package) and returns the screenshot. */
function render(svg: string, width: number, height: number): { png: PNG; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tminus-gantt-'));
  const svgFile = path.join(dir, 'gantt.svg');
  const pngFile = path.join(dir, 'gantt.png');
  writeFileSync(svgFile, svg);
  execFileSync(
    chromiumBinary()!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      `--screenshot=${pngFile}`,
      `--window-size=${width},${height}`,
      `file://${svgFile}`,
    ],
    { stdio: 'ignore', timeout: 90_000 },
  );
  const png = PNG.sync.read(readFileSync(pngFile));
  // Kept beside the temporary folder's removal for a person to look at (the path is printed).
  const kept = path.join(os.tmpdir(), 'tminus-gantt.png');
  writeFileSync(kept, readFileSync(pngFile));
  rmSync(dir, { recursive: true, force: true });
  return { png, file: kept };
}

function countColour(png: PNG, hex: string, tolerance = 24): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const d = Math.abs(png.data[i] - r) + Math.abs(png.data[i + 1] - g) + Math.abs(png.data[i + 2] - b);
    if (d <= tolerance) n++;
  }
  return n;
}

describe('SVG Gantt of a plan', () => {
  const state = runningPlan();
  const svg = ganttSvg(state, NOW);

  it('follows the dependencies for the critical path: TT-01 → TT-02 → TT-05', () => {
    expect(criticalPath(state)).toEqual(['TT-01', 'TT-02', 'TT-05']);
  });

  it('gives each chain its slack between deadlines; the critical path is the first chain', () => {
    const chains = dependencyChains(state);
    expect(chains[0].links.map((l) => l.taskId)).toEqual(criticalPath(state));
    const [first, second, third] = chains[0].links;
    expect(first.slackMs).toBeUndefined();
    expect(second.slackMs).toBe(second.deadline! - first.deadline!);
    expect(third.slackMs).toBe(third.deadline! - second.deadline!);
    expect(chains[0].minSlackMs).toBe(Math.min(second.slackMs!, third.slackMs!));
    expect(chains.every((c) => !c.missesDeadline)).toBe(true);
  });

  it('draws every group and task, the congress days, today’s line, overdue marks and the critical path', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="task /g)).toHaveLength(7);
    for (const group of ['Nội dung tuyên truyền', 'Cổ động trực quan, trang trí', 'Báo chí, truyền thông']) {
      expect(svg).toContain(`>${group}</text>`);
    }
    expect(svg).toContain('class="congress"');
    expect(svg).toContain('class="today"');
    expect(svg).toContain('Hôm nay 20/09/2026');
    expect(svg.match(/class="task in-progress-late[^"]*"/g)).toEqual(['class="task in-progress-late"']);
    expect(svg).toContain('! quá hạn');
    expect(svg.match(/class="task [a-z-]+ critical"/g)).toHaveLength(3);
    expect(svg).toContain('Chủ trì: Báo tỉnh');
  });

  it('projects deadlines not known yet from the prerequisites’ deadlines, drawn dashed', () => {
    const plan = logisticsPlan();
    const logistics = createPlanState(provincialCongress(), plan, at('2026-06-01'));
    expect(logistics.tasks['HC-02'].deadline).toBeUndefined(); // after:HC-01+30d, HC-01 not done
    const projected = projectedDeadlines(logistics);
    expect(projected.get('HC-02')).toEqual({
      at: logistics.tasks['HC-01'].deadline! + 30 * 86_400_000,
      projected: true,
    });
    expect(projected.get('HC-01')).toEqual({ at: logistics.tasks['HC-01'].deadline!, projected: false });
    const drawn = ganttSvg(logistics, at('2026-06-01'));
    expect(drawn).toMatch(/<g class="task [a-z-]+( critical)? projected" data-task="HC-02">/);
    expect(drawn).toContain('Hạn dự kiến');
    // Never two strokes on one element (the file would not be well-formed XML).
    expect(drawn).not.toMatch(/<[^>]* stroke="[^"]*"[^>]* stroke="/);
  });

  it('escapes text', () => {
    const odd = runningPlan();
    odd.tasks['TT-01'].title = 'A & B <C>';
    expect(ganttSvg(odd, NOW)).toContain('TT-01 A &amp; B &lt;C&gt;');
  });

  it('renders in headless Chromium: not blank, with today’s line, the congress days, an overdue bar and the critical path', () => {
    if (!chromiumBinary()) {
      console.warn('Chromium check skipped: run scripts/formats/install-checkers.sh (Debian package chromium)');
      return;
    }
    const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
    const { png, file } = render(svg, width, height);
    console.log(`Gantt screenshot: ${file} (${png.width}×${png.height})`);
    expect(png.width).toBe(width);
    const total = png.width * png.height;
    const white = countColour(png, '#ffffff', 6);
    expect(total - white).toBeGreaterThan(total * 0.05);
    expect(countColour(png, GANTT_COLOURS.today)).toBeGreaterThan(200);
    expect(countColour(png, GANTT_COLOURS.congress)).toBeGreaterThan(500);
    expect(countColour(png, GANTT_COLOURS.category['in-progress-late'])).toBeGreaterThan(100);
    expect(countColour(png, GANTT_COLOURS.critical)).toBeGreaterThan(100);
    expect(countColour(png, GANTT_COLOURS.category['done-on-time'])).toBeGreaterThan(100);
  });
});
