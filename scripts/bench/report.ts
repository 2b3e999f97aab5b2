/** The table printed against the targets, and the JSON written beside it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Spread } from './stats';

export interface Row {
  section: string;
  measure: string;
  /** The figure shown (already formatted). */
  figure: string;
  /** min–max across repeats, when measured more than once. */
  spread?: string;
  target: string;
  /** undefined: printed for information, no target. */
  met?: boolean;
}

export function ratioText(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

export function spreadText(s: Spread, format: (v: number) => string): string | undefined {
  return s.values.length > 1 ? `${format(s.min)} – ${format(s.max)} (${s.values.length} repeats)` : undefined;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function printTable(rows: Row[]): void {
  const headers = ['section', 'measure', 'figure', 'spread', 'target', 'verdict'];
  const cells = rows.map((r) => [
    r.section,
    r.measure,
    r.figure,
    r.spread ?? '',
    r.target,
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join(' | ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of cells) console.log(line(c));
}

export function writeJson(file: string, data: unknown): string {
  const resolved = path.resolve(file);
  mkdirSync(path.dirname(resolved), { recursive: true });
  writeFileSync(resolved, `${JSON.stringify(data, null, 2)}\n`);
  return resolved;
}
