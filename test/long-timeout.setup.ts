// Workflow and e2e tests drive real servers: give them minutes, not seconds.
jest.setTimeout(300_000);
