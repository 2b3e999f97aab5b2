import { isReadOnlyUiRequest, readOnlySettings } from './ui-read-only-proxy';

describe('the read-only Temporal UI of npm start', () => {
  it.each([
    ['GET', '/namespaces/default/workflows'],
    ['GET', '/api/v1/namespaces/default/workflows/plan%2Fdh%2FBPTT/history'],
    ['POST', '/api/v1/namespaces/default/workflows/plan%2Fdh%2FBPTT/query/__temporal_workflow_metadata'],
  ])('lets %s %s through', (method, path) => {
    expect(isReadOnlyUiRequest(method, path)).toBe(true);
  });

  it.each([
    ['POST', '/api/v1/namespaces/default/workflows/plan%2Fdh%2FBPTT/terminate'],
    ['POST', '/api/v1/namespaces/default/workflows/plan%2Fdh%2FBPTT/cancel'],
    ['POST', '/api/v1/namespaces/default/workflows/plan%2Fdh%2FBPTT/signal/planCommand'],
    ['POST', '/api/v1/namespaces/default/workflows/plan%2Fdh%2FBPTT/reset'],
    ['POST', '/api/v1/namespaces/default/workflows/plan%2Fdh%2FBPTT/update/completeTask'],
    ['POST', '/api/v1/namespaces/default/batch-operations/x'],
    ['DELETE', '/api/v1/namespaces/default/schedules/x'],
    ['PUT', '/api/v1/namespaces/default'],
    ['POST', '/api/v1/namespaces/default/workflows/query-terminate'],
    ['POST', '/api/v1/namespaces/default/workflows/x/terminate/query/y'],
    ['POST', '/api/v1/namespaces/default/workflows/x/query/y/terminate'],
  ])('refuses %s %s', (method, path) => {
    expect(isReadOnlyUiRequest(method, path)).toBe(false);
  });

  it('switches every write action off in the settings, keeping the rest (the codec endpoint)', () => {
    const settings = readOnlySettings({
      Codec: { Endpoint: 'http://127.0.0.1:3000/codec' },
      DisableWriteActions: false,
    });
    expect(settings).toMatchObject({
      Codec: { Endpoint: 'http://127.0.0.1:3000/codec' },
      DisableWriteActions: true,
      WorkflowTerminateDisabled: true,
      WorkflowCancelDisabled: true,
    });
  });
});
