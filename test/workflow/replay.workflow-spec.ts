/**
 * Replays the recorded histories under test/histories/<workflow type>/ against today's workflow code.
 * A change of workflow logic that is not behind patched() fails here with a DeterminismViolationError,
 * before it can break the plans that are running in production for months.
 *
 * Histories are kept from every version of the workflow code that ran: `<case>.json` from before any patch,
 * `<case>.patched-<change>.json` from after that patch (workflows/versions.ts). To record the current version:
 * TMINUS_RECORD_HISTORIES=1 npm run test:workflow, then rename the new files so that older ones are kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { TEST_DATA_CONVERTER } from './harness';

const HISTORIES = path.join(__dirname, '..', 'histories');

const cases = readdirSync(HISTORIES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((dir) =>
    readdirSync(path.join(HISTORIES, dir.name))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({
        workflowType: dir.name,
        file: path.join(HISTORIES, dir.name, file),
        name: `${dir.name}/${file}`,
      })),
  );

describe('replay of recorded histories', () => {
  beforeAll(() => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    } catch {
      // already installed in this process
    }
  });

  it('has histories to replay for every workflow', () => {
    expect(new Set(cases.map((c) => c.workflowType))).toEqual(new Set(['unitPlanWorkflow', 'congressWorkflow']));
  });

  it.each(cases.map((c) => [c.name, c] as const))('replays %s without nondeterminism', async (_name, c) => {
    const history = historyFromJSON(JSON.parse(readFileSync(c.file, 'utf8')));
    const bundlePath = process.env.TMINUS_TEST_WORKFLOW_BUNDLE;
    await Worker.runReplayHistory(
      {
        // Histories recorded since encryption at rest are encrypted with the harness's test key.
        dataConverter: TEST_DATA_CONVERTER,
        ...(bundlePath
          ? { workflowBundle: { codePath: bundlePath } }
          : { workflowsPath: require.resolve('../../workflows') }),
      },
      history,
      `replay-${path.basename(c.file, '.json')}`,
    );
  });
});
