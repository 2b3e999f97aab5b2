/**
 * Builds the workflow bundle production workers load (WORKFLOW_BUNDLE_PATH), so that a worker does not bundle
 * at start. Exits non-zero, loudly, when bundling fails.
 *
 *   node dist/scripts/build-workflow-bundle.js [output file, default dist/workflow-bundle.js]
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(): Promise<void> {
  const output = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'workflow-bundle.js'));
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: [require.resolve('../workflows/interceptors')],
  });
  await writeFile(output, code);
  console.log(`workflow bundle written to ${output} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err: unknown) => {
  console.error('bundling the workflows failed:');
  console.error(err);
  process.exit(1);
});
