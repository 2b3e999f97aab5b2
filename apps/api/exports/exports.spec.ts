import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FeedRevocations } from './feed-revocations';
import { exportFormatFor } from './exports.service';

describe('exportFormatFor', () => {
  it.each([
    ['text/csv', 'csv'],
    ['text/csv; charset=utf-8', 'csv'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['application/vnd.ms-excel', 'xlsx'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
    ['image/svg+xml', 'svg'],
  ])('maps Accept: %s to %s', (accept, format) => {
    expect(exportFormatFor(accept)).toBe(format);
  });

  it('leaves JSON (and no Accept at all) to the JSON answer', () => {
    expect(exportFormatFor('application/json')).toBeUndefined();
    expect(exportFormatFor('*/*')).toBeUndefined();
    expect(exportFormatFor(undefined)).toBeUndefined();
  });
});

describe('FeedRevocations', () => {
  const file = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'tminus-feeds-')), 'sub', 'revoked.json');

  it('knows nothing revoked before the file exists, and remembers a revocation in the file', () => {
    const at = file();
    const store = new FeedRevocations(at);
    expect(store.isRevoked('abc')).toBe(false);
    store.revoke({ id: 'abc', by: 'vptu-tt1', at: '2026-09-20T02:00:00.000Z', reason: 'lộ đường dẫn' });
    expect(store.isRevoked('abc')).toBe(true);
    expect(new FeedRevocations(at).isRevoked('abc')).toBe(true);
    expect(JSON.parse(readFileSync(at, 'utf8'))).toEqual({
      revoked: [{ id: 'abc', by: 'vptu-tt1', at: '2026-09-20T02:00:00.000Z', reason: 'lộ đường dẫn' }],
    });
  });

  it('sees revocations written by another API instance sharing the file', () => {
    const at = file();
    const mine = new FeedRevocations(at);
    mine.revoke({ id: 'first', by: 'a', at: 'x' });
    expect(mine.isRevoked('second')).toBe(false);
    // Another instance writes the file (later mtime): this one reads it again.
    const content = {
      revoked: [
        { id: 'first', by: 'a', at: 'x' },
        { id: 'second', by: 'b', at: 'y' },
      ],
    };
    writeFileSync(at, JSON.stringify(content));
    const later = new Date(Date.now() + 5000);
    utimesSync(at, later, later);
    expect(mine.isRevoked('second')).toBe(true);
  });
});
