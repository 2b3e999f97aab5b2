/** Reports and archives hold names and plans: readable by the worker's user only (files 0600, folders 0700). */
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPlanState, instantAt, progressReport, propagandaPlan, provincialCongress } from '../libs/domain';
import { createReportActivities } from './reports.activities';

async function modes(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true })) {
    const info = await stat(path.join(dir, entry));
    found[`${entry}${info.isDirectory() ? '/' : ''}`] = (info.mode & 0o777).toString(8);
  }
  return found;
}

it('writes report, audit and archive files 0600 in folders 0700, whatever the umask', async () => {
  const previous = process.umask(0o022);
  try {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'tminus-modes-')), 'reports');
    const activities = createReportActivities({ reportsDir: dir });
    const now = instantAt('2026-08-01', 8 * 60, 'Asia/Ho_Chi_Minh');
    const state = createPlanState(provincialCongress(), propagandaPlan(), now);
    const workflowId = 'plan/dh-tinh-xx/BPTT';
    await activities.writeReport({
      workflowId,
      key: 'check-in:1',
      title: 'Giao ban',
      report: progressReport(state, now),
      markdown: '#',
    });
    await activities.archiveAuditSegment({ workflowId, key: 'segment-1', entries: [] });
    await activities.archivePlan({ workflowId, state });
    const found = await modes(dir);
    expect(Object.keys(found).length).toBeGreaterThanOrEqual(6);
    for (const [entry, mode] of Object.entries(found)) {
      expect([entry, mode]).toEqual([entry, entry.endsWith('/') ? '700' : '600']);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  } finally {
    process.umask(previous);
  }
});
