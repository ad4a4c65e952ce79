/**
 * CSV export: one row per box (or per image for classification and unlabelled images), with the image's size and
 * split, so a spreadsheet or pandas reads the whole dataset. Fields are quoted per RFC 4180; formula-like cells
 * are prefixed with an apostrophe so a label like `=HYPERLINK(…)` stays text in a spreadsheet.
 */
import type { Dataset } from '../core/dataset/types';

export const CSV_HEADER = ['image', 'width', 'height', 'split', 'label', 'x1', 'y1', 'x2', 'y2', 'expression'] as const;

function cell(v: string | number | undefined): string {
  if (v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function serializeCsv(d: Dataset): string {
  const name = new Map(d.classes.map((c) => [c.id, c.name]));
  const rows: (string | number | undefined)[][] = [[...CSV_HEADER]];
  for (const im of d.images) {
    const head = [im.fileName, im.width, im.height, im.split];
    if (!im.annotations.length) rows.push([...head, im.classId !== undefined ? name.get(im.classId) : undefined]);
    for (const a of im.annotations) rows.push([...head, name.get(a.classId), ...a.box, a.expression]);
  }
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
