/** What Temporal stores, as someone with the disk or a codec-less client sees it (for the encryption tests). */
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';

/** The dev server's SQLite file with its journal or write-ahead log, byte for byte. */
export function storedBytes(dbFile: string): Buffer {
  return Buffer.concat([dbFile, `${dbFile}-wal`, `${dbFile}-journal`].map(readIfPresent));
}

/** SQLite creates and deletes its journal with every transaction, so it may vanish between a check and a read. */
function readIfPresent(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}

/** The input payloads of a workflow's first event, as stored: read by a client without any codec. */
export async function storedInputPayloads(address: string, workflowId: string): Promise<Payload[]> {
  const connection = await Connection.connect({ address });
  try {
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    return [...(history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [])] as Payload[];
  } finally {
    await connection.close();
  }
}
