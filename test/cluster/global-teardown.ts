import { stopClusterStack, type ClusterStack } from './stack';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __tminusCluster?: ClusterStack }).__tminusCluster;
  if (stack) await stopClusterStack(stack);
}
