import { startClusterStack } from './stack';

export default async function globalSetup(): Promise<void> {
  (globalThis as { __tminusCluster?: unknown }).__tminusCluster = await startClusterStack();
}
