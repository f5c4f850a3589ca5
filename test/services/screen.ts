// A small terminal model for tests that replay what a program wrote to a pseudo-terminal.

/**
 * What a terminal of `cols` columns shows for `bytes`, as logical lines (rows joined where the
 * terminal wrapped a long line). Models carriage return, newline, erase-line (ESC[2K) and the
 * auto-wrap switch (ESC[?7l / ESC[?7h: off, later characters overwrite the last column).
 */
export function screenOf(bytes: string, cols: number): { lines: string[]; wrapOn: boolean } {
  const rows: { text: string[]; continued: boolean }[] = [{ text: [], continued: false }];
  let row = 0;
  let col = 0;
  let wrap = true;
  let pendingWrap = false;
  const chars = [...bytes];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\x1b') {
      let j = i + 1;
      let seq = '';
      if (chars[j] === '[') {
        j++;
        while (j < chars.length && !/[A-Za-z]/.test(chars[j]!)) seq += chars[j++];
        const cmd = chars[j];
        if (cmd === 'K' && seq === '2') rows[row]!.text = [];
        if (cmd === 'K' && (seq === '' || seq === '0')) rows[row]!.text.length = Math.min(rows[row]!.text.length, col);
        if (cmd === 'l' && seq === '?7') wrap = false;
        if (cmd === 'h' && seq === '?7') wrap = true;
        if (cmd === 'G') col = Math.max(0, Number(seq || 1) - 1);
      }
      i = j;
      pendingWrap = false;
      continue;
    }
    if (c === '\r') {
      col = 0;
      pendingWrap = false;
    } else if (c === '\n') {
      row++;
      rows[row] ??= { text: [], continued: false };
      pendingWrap = false;
    } else if (c >= ' ') {
      if (pendingWrap) {
        row++;
        rows[row] = { text: [], continued: true };
        col = 0;
        pendingWrap = false;
      }
      const line = rows[row]!.text;
      while (line.length < col) line.push(' ');
      line[col] = c;
      if (col === cols - 1) pendingWrap = wrap;
      else col++;
    }
  }
  const lines: string[] = [];
  for (const r of rows) {
    const text = r.text.join('').trimEnd();
    if (r.continued && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  return { lines, wrapOn: wrap };
}
