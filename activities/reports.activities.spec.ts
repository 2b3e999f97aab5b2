import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPlanState, instantAt, progressReport, propagandaPlan, provincialCongress } from '../libs/domain';
import { createReportActivities, folderFor } from './reports.activities';

describe('report activities', () => {
  it('write a report as JSON and Markdown, named by workflow and key, idempotently', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tminus-reports-'));
    const { writeReport, archivePlan } = createReportActivities({ reportsDir: dir });
    const now = instantAt('2026-08-01', 8 * 60, 'Asia/Ho_Chi_Minh');
    const state = createPlanState(provincialCongress(), propagandaPlan(), now);
    const report = progressReport(state, now);
    const input = {
      workflowId: 'plan/dh-tinh-xx/BPTT',
      key: 'check-in:123',
      title: 'Giao ban',
      report,
      markdown: '# Giao ban\n',
    };
    const first = await writeReport(input);
    const again = await writeReport(input);
    expect(again).toEqual(first);
    const folder = path.join(dir, folderFor(input.workflowId));
    expect((await readdir(folder)).sort()).toEqual(['check-in_123.json', 'check-in_123.md']);
    const json = JSON.parse(await readFile(path.join(folder, 'check-in_123.json'), 'utf8')) as {
      title: string;
      total: number;
    };
    expect(json).toMatchObject({ title: 'Giao ban', total: 7 });

    const archived = await archivePlan({ workflowId: input.workflowId, state });
    const saved = JSON.parse(await readFile(archived.file, 'utf8')) as { state: { definition: { unitCode: string } } };
    expect(saved.state.definition.unitCode).toBe('BPTT');
  });
});
