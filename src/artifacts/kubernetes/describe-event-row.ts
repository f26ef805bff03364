/** One row of the `Events:` table of `kubectl describe`. */
export interface DescribeEventRow {
  type: string;
  reason: string;
  age: string;
  from: string;
  message: string;
}

/**
 * Splits an event row. kubectl aligns the table with a tabwriter, so each cell starts at its header's column
 * (`columns`, from the `Type  Reason  Age  From  Message` line); a row pasted through something that
 * squeezed the spaces is split on runs of two or more spaces instead (the padding kubectl uses).
 */
export function describeEventRow(line: string, columns: number[] | undefined): DescribeEventRow | undefined {
  if (columns && columns.length === 5 && line.length > columns[4]!) {
    const ok = columns.every((c, i) => i === 0 || line[c - 1] === ' ') && line[columns[4]!] !== ' ';
    if (ok) {
      const cells = columns.map((c, i) => line.slice(c, columns[i + 1] ?? line.length).trim());
      if (/^(?:Normal|Warning)$/.test(cells[0]!)) return { type: cells[0]!, reason: cells[1]!, age: cells[2]!, from: cells[3]!, message: cells[4]! };
    }
  }
  const cells: string[] = [];
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null;
  while (cells.length < 4 && (m = re.exec(line)) !== null) cells.push(m[0]);
  if (cells.length < 4 || !/^(?:Normal|Warning)$/.test(cells[0]!)) return undefined;
  const message = line.slice(re.lastIndex).trim();
  return { type: cells[0]!, reason: cells[1]!, age: cells[2]!, from: cells[3]!, message };
}
