/** One column of a {@link formatTable} table. */
export type TableColumn = {
  /** The header line's word for it, e.g. `UID`. */
  header: string;
  /** Numbers read best right-aligned. @default 'left' */
  align?: 'left' | 'right' | undefined;
};

/**
 * Lays rows out as a plain-text table for a terminal: a header line, then one line per row,
 * each column as wide as its widest cell, columns two spaces apart, no trailing spaces.
 * Cells are taken as single-line text; control characters in a cell (a URI read from the
 * chain can hold anything, terminal escapes included) are written as spaces so a row stays
 * one line and cannot rewrite the screen.
 *
 * @param parameters.columns - the columns, left to right.
 * @param parameters.rows - one cell per column in each row.
 * @returns The table, each line ending in a newline.
 * @throws Error when a row has another number of cells than there are columns.
 * @example
 * formatTable({ columns: [{ header: 'UID', align: 'right' }, { header: 'ROLE' }], rows: [['0', 'miner']] });
 * // 'UID  ROLE\n  0  miner\n'
 */
export function formatTable(parameters: {
  columns: readonly TableColumn[];
  rows: readonly (readonly string[])[];
}): string {
  const { columns } = parameters;
  const lines = [columns.map((column) => column.header), ...parameters.rows].map((row, index) => {
    if (row.length !== columns.length)
      throw new Error(`table row ${index} has ${row.length} cells for ${columns.length} columns`);
    return row.map(oneLine);
  });
  const widths = columns.map((_, c) => Math.max(...lines.map((row) => row[c]!.length)));
  return lines
    .map((row) =>
      row
        .map((cell, c) =>
          columns[c]!.align === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * Label and value pairs, one a line, the values lined up after the longest label.
 *
 * @example
 * formatFields([['uid', '3'], ['claimable', '1.5 TSR']]); // 'uid        3\nclaimable  1.5 TSR\n'
 */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  return fields
    .map(([label, value]) => `${label.padEnd(width)}  ${oneLine(value)}`.trimEnd() + '\n')
    .join('');
}

/**
 * Control characters (line breaks, tabs, terminal escape sequences) and the invisible
 * direction and width marks that could make a cell read as something else become spaces.
 */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ');
}
