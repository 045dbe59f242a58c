/**
 * A parsed JSON text that remembers where each value sits in it, so a writer can copy the
 * untouched parts of a file byte for byte. Only for texts JSON.parse accepts.
 */
export type SpannedJson =
  | { kind: 'object'; start: number; end: number; entries: Array<{ key: string; node: SpannedJson }> }
  | { kind: 'array'; start: number; end: number; items: SpannedJson[] }
  | { kind: 'scalar'; start: number; end: number };

export function parseWithSpans(text: string): SpannedJson {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const stringEnd = (from: number): number => {
    let j = from + 1;
    while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  };
  const value = (): SpannedJson => {
    space();
    const start = i;
    const ch = text[i];
    if (ch === '{') {
      i++;
      const entries: Array<{ key: string; node: SpannedJson }> = [];
      space();
      while (text[i] !== '}') {
        space();
        const keyEnd = stringEnd(i);
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        i = keyEnd;
        space();
        i++; // ':'
        entries.push({ key, node: value() });
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
      return { kind: 'object', start, end: i, entries };
    }
    if (ch === '[') {
      i++;
      const items: SpannedJson[] = [];
      space();
      while (text[i] !== ']') {
        items.push(value());
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
      return { kind: 'array', start, end: i, items };
    }
    if (ch === '"') i = stringEnd(i);
    else while (i < text.length && !',]} \t\n\r'.includes(text[i]!)) i++;
    return { kind: 'scalar', start, end: i };
  };
  return value();
}
