// Column alignment like Go's tabwriter (padding 2, spaces): every cell but the last of a row is
// padded to its column's widest cell; widths ignore ANSI colour codes. Trailing blanks dropped.

const ANSI = /\x1b\[[0-9;]*m/g;

/** Printed width: code points without ANSI escapes. */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

export function alignColumns(rows: readonly (readonly string[])[], padding = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell) + padding)))
      .join('')
      .trimEnd(),
  );
}
