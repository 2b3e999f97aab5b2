import { startStack } from './stack';

export default async function globalSetup(): Promise<void> {
  (globalThis as { __tminusE2E?: unknown }).__tminusE2E = await startStack();
}
