/**
 * The revoked calendar feed links, by feed id, in a JSON file. A file because feed links must stay revoked
 * across restarts and the API has no database; API instances behind one load balancer share it on a volume.
 * Re-read when the file changes, written atomically.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Revocation {
  id: string;
  by: string;
  at: string;
  reason?: string;
}

export class FeedRevocations {
  private cache: { mtimeMs: number; revoked: Map<string, Revocation> } | undefined;

  constructor(private readonly file: string) {}

  private load(): Map<string, Revocation> {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.file).mtimeMs;
    } catch {
      return new Map();
    }
    if (this.cache?.mtimeMs === mtimeMs) return this.cache.revoked;
    const list = JSON.parse(readFileSync(this.file, 'utf8')) as { revoked: Revocation[] };
    const revoked = new Map(list.revoked.map((r) => [r.id, r]));
    this.cache = { mtimeMs, revoked };
    return revoked;
  }

  isRevoked(id: string): boolean {
    return this.load().has(id);
  }

  revoke(entry: Revocation): void {
    const revoked = new Map(this.load());
    if (revoked.has(entry.id)) return;
    revoked.set(entry.id, entry);
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ revoked: [...revoked.values()] }, null, 2), { mode: 0o600 });
    renameSync(temporary, this.file);
    this.cache = undefined;
  }
}
