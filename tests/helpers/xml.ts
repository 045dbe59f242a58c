/**
 * A small XML reader for TwiML and SVG in tests: elements, attributes, text, the five predefined
 * entities and numeric character references, comments, CDATA, processing instructions, the XML
 * declaration and a DOCTYPE. It rejects what a TwiML or SVG consumer would reject (unclosed or
 * mismatched tags, stray text after the root, unknown entities).
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlSyntaxError extends Error {
  constructor(message: string, at: number) {
    super(`${message} at offset ${at}`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const SPACE = /\s*/y;

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    throw new XmlSyntaxError(msg, i);
  };
  const skipSpace = () => {
    SPACE.lastIndex = i;
    SPACE.exec(src);
    i = SPACE.lastIndex;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) fail('expected a name');
    i = NAME.lastIndex;
    return m![0];
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (src.startsWith('<?', i)) {
        const end = src.indexOf('?>', i);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
      } else if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (src.startsWith('<!DOCTYPE', i)) {
        // Skipped whole, internal subset ([...]) included.
        let depth = 0;
        for (; i < src.length; i++) {
          if (src[i] === '[') depth++;
          else if (src[i] === ']') depth--;
          else if (src[i] === '>' && depth === 0) break;
        }
        if (i >= src.length) fail('unterminated DOCTYPE');
        i++;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (src[i] !== '<') fail('expected <');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [] };
    for (;;) {
      skipSpace();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      const attr = name();
      skipSpace();
      if (src[i] !== '=') fail(`expected = after attribute ${attr}`);
      i++;
      skipSpace();
      const quote = src[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
      const end = src.indexOf(quote!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      el.attrs[attr] = decode(src.slice(i + 1, end), i);
      i = end + 1;
    }
    for (;;) {
      if (i >= src.length) fail(`<${el.name}> is not closed`);
      if (src.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipSpace();
        if (src[i] !== '>') fail('expected >');
        i++;
        return el;
      }
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        el.children.push(src.slice(i + 9, end));
        i = end + 3;
      } else if (src.startsWith('<?', i)) {
        const end = src.indexOf('?>', i);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
      } else if (src[i] === '<') {
        el.children.push(element());
      } else {
        const end = src.indexOf('<', i);
        const raw = src.slice(i, end < 0 ? src.length : end);
        el.children.push(decode(raw, i));
        i += raw.length;
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i < src.length) fail('content after the root element');
  return root;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  return s.replace(/&(?:([^;&\s<]+);)?/g, (_, ref: string | undefined) => {
    if (ref === undefined) throw new XmlSyntaxError('bare & (not an entity)', at);
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const v = ENTITIES[ref];
    if (v === undefined) throw new XmlSyntaxError(`unknown entity &${ref};`, at);
    return v;
  });
}

/** Child elements, optionally only those named `name`. */
export function elements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}

/** Every descendant element named `name`, in document order. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of elements(el)) {
    if (c.name === name) out.push(c);
    out.push(...findAll(c, name));
  }
  return out;
}

export function find(el: XmlElement, name: string): XmlElement | undefined {
  return findAll(el, name)[0];
}

/** The text content of an element (its text and its descendants' text). */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** The element and every element below it, depth first. */
export function allElements(el: XmlElement): XmlElement[] {
  return [el, ...elements(el).flatMap(allElements)];
}
