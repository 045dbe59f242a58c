/**
 * Where a JSON text first goes wrong, as line and column. JSON.parse only sometimes says
 * (V8 omits the position for an unexpected token), and a planner editing a file by hand
 * needs the line. This scanner accepts exactly the JSON grammar and stops at the first byte
 * that cannot continue it.
 */

export interface JsonSyntaxLocation {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

class Stop extends Error {
  constructor(readonly offset: number) {
    super('syntax');
  }
}

export function locateJsonSyntaxError(text: string): JsonSyntaxLocation | undefined {
  let i = 0;
  const fail = (): never => {
    throw new Stop(i);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (ch: string) => (text[i] === ch ? i++ : fail());
  const string = () => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      const ch = text[i]!;
      if (ch < ' ') fail();
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? 'x')) i++;
        else fail();
      } else i++;
    }
    expect('"');
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        string();
        space();
        expect(':');
        value();
        space();
        if (text[i] === ',') i++;
        else return void expect('}');
      }
    }
    if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else return void expect(']');
      }
    }
    if (ch === '"') return string();
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    return { offset: error.offset, line, column: error.offset - before.lastIndexOf('\n') };
  }
}

/** A JSON syntax error as a person editing the file needs it: where (line and column, when known) and what. */
export interface JsonSyntaxProblem {
  line?: number;
  column?: number;
  /** JSON.parse's reason, without V8's character offset or its quote of the text. */
  reason: string;
}

/** Parses a JSON document; a syntax error comes back located, not thrown. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; problem: JsonSyntaxProblem } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return { ok: false, problem: jsonSyntaxProblem(text, err) };
  }
}

/** Locates the error JSON.parse threw for `text`. */
export function jsonSyntaxProblem(text: string, err: Error): JsonSyntaxProblem {
  const reason = err.message
    .replace(/\s*in JSON at position \d+(?: \(line \d+ column \d+\))?/, '')
    .replace(/, ".*" is not valid JSON$/s, '');
  const at = locateJsonSyntaxError(text);
  return at ? { line: at.line, column: at.column, reason } : { reason };
}
