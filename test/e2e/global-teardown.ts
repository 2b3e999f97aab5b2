import { stopStack, type E2EStack } from './stack';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __tminusE2E?: E2EStack }).__tminusE2E;
  if (stack) await stopStack(stack);
}
