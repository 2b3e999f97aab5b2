import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import JSZip from 'jszip';
import {
  createPlanState,
  instantAt,
  planSummary,
  progressReport,
  propagandaPlan,
  provincialCongress,
} from '../libs/domain';
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

describe('report activities: Word documents in the Party format', () => {
  it('write a check-in report as .docx beside the Markdown, from the plan’s state', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tminus-reports-'));
    const now = instantAt('2026-08-01', 8 * 60, 'Asia/Ho_Chi_Minh');
    const state = createPlanState(provincialCongress(), propagandaPlan(), now);
    const read: string[] = [];
    const { writeReport } = createReportActivities({
      reportsDir: dir,
      reportPlace: 'Thái Bình',
      readPlanState: async (workflowId) => {
        read.push(workflowId);
        return state;
      },
    });
    const result = await writeReport({
      workflowId: 'plan/dh-tinh-xx/BPTT',
      key: `check-in:${now}`,
      title: 'Giao ban',
      report: progressReport(state, now),
      markdown: '# Giao ban\n',
    });
    expect(read).toEqual(['plan/dh-tinh-xx/BPTT']);
    expect(result.files.map((f) => path.extname(f))).toEqual(['.json', '.md', '.docx']);
    const docx = await readFile(result.files[2]);
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    expect(xml).toContain('ĐẢNG CỘNG SẢN VIỆT NAM');
    expect(xml).toContain('Thái Bình, ngày 01 tháng 8 năm 2026');
    expect(xml).toContain('BỘ PHẬN TUYÊN TRUYỀN');
  });

  it('write the congress summary as .docx with unit names, reading each plan', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tminus-reports-'));
    const now = instantAt('2026-11-20', 8 * 60, 'Asia/Ho_Chi_Minh');
    const state = createPlanState(provincialCongress(), propagandaPlan(), now);
    const { writeReport } = createReportActivities({ reportsDir: dir, readPlanState: async () => state });
    const result = await writeReport({
      workflowId: 'congress/dh-tinh-xx',
      key: 'summary-conference-report',
      title: 'Tổng kết',
      report: { units: [planSummary(state, now)], history: [] },
      markdown: '# Tổng kết\n',
    });
    const xml = await (await JSZip.loadAsync(await readFile(result.files[2])))
      .file('word/document.xml')!
      .async('string');
    expect(xml).toContain('Bộ phận tuyên truyền');
    expect(xml).toContain('TRƯỞNG TIỂU BAN');
  });

  it("make a plan's Word document from the state it is given, without asking the plan", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tminus-reports-'));
    const now = instantAt('2026-11-20', 8 * 60, 'Asia/Ho_Chi_Minh');
    const state = createPlanState(provincialCongress(), propagandaPlan(), now);
    const { writeReport } = createReportActivities({
      reportsDir: dir,
      // Within its own workflow task a plan cannot answer: a query would wait until the read limit.
      readPlanState: () => Promise.reject(new Error('queried the plan')),
    });
    const result = await writeReport({
      workflowId: 'plan/dh-tinh-xx/BPTT',
      key: 'check-in_2026-11',
      title: 'Báo cáo giao ban',
      report: progressReport(state, now),
      markdown: '# Báo cáo\n',
      planState: state,
    });
    expect(result.files.map((f) => path.extname(f))).toEqual(['.json', '.md', '.docx']);
    const xml = await (await JSZip.loadAsync(await readFile(result.files[2])))
      .file('word/document.xml')!
      .async('string');
    expect(xml).toContain('BỘ PHẬN TUYÊN TRUYỀN');
  });

  it('still write JSON and Markdown when the plan cannot be read', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tminus-reports-'));
    const { writeReport } = createReportActivities({
      reportsDir: dir,
      readPlanState: () => Promise.reject(new Error('plan not reachable')),
    });
    const now = instantAt('2026-08-01', 8 * 60, 'Asia/Ho_Chi_Minh');
    const state = createPlanState(provincialCongress(), propagandaPlan(), now);
    const result = await writeReport({
      workflowId: 'plan/dh-tinh-xx/BPTT',
      key: 'closing-report',
      title: 'Tổng kết',
      report: progressReport(state, now),
      markdown: '#\n',
    });
    expect(result.files.map((f) => path.extname(f))).toEqual(['.json', '.md']);
  });
});

describe('report activities: reading the plan through the worker’s client', () => {
  it('query the plan’s `state` through Context.client when no reader is configured', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tminus-reports-'));
    const now = instantAt('2026-08-01', 8 * 60, 'Asia/Ho_Chi_Minh');
    const state = createPlanState(provincialCongress(), propagandaPlan(), now);
    const asked: Array<[string, string]> = [];
    const client: Record<string, unknown> = {
      // The worker runs each activity with its client bound to the activity's cancellation signal.
      withAbortSignal: (_signal: AbortSignal, fn: () => unknown) => fn(),
      workflow: {
        getHandle: (workflowId: string) => ({
          query: async (query: { name: string }) => {
            asked.push([workflowId, query.name]);
            return state;
          },
        }),
      },
    };
    const env = new MockActivityEnvironment({}, { client: client as never });
    const { writeReport } = createReportActivities({ reportsDir: dir });
    const result: { files: string[] } = await env.run(writeReport, {
      workflowId: 'plan/dh-tinh-xx/BPTT',
      key: 'closing-report',
      title: 'Tổng kết',
      report: progressReport(state, now),
      markdown: '#\n',
    });
    expect(asked).toEqual([['plan/dh-tinh-xx/BPTT', 'state']]);
    expect(result.files.map((f) => path.extname(f))).toEqual(['.json', '.md', '.docx']);
  });
});
