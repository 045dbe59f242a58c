/**
 * A strict little XML reader for checking generated SVG: prolog, comments, a DOCTYPE,
 * processing instructions, CDATA, elements with quoted attributes, entity and character
 * references. Throws on anything not well-formed (unclosed or mismatched tags, stray text
 * outside the root, unknown entities); returns the element tree.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${i}: ${JSON.stringify(src.slice(i, i + 40))}`);
  };
  const name = () => {
    NAME.lastIndex = i;
    const m = NAME.exec(src) ?? fail('expected a name');
    i = NAME.lastIndex;
    return m[0];
  };
  const space = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const decode = (s: string) =>
    s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (all, ref: string | undefined) => {
      if (ref === undefined) return fail('bare & in text');
      if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
      if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
      return ENTITIES[ref] ?? fail(`unknown entity ${all}`);
    });
  const skipMisc = () => {
    for (;;) {
      space();
      if (src.startsWith('<?', i)) i = (src.indexOf('?>', i) + 1 || fail('unclosed processing instruction')) + 1;
      else if (src.startsWith('<!--', i)) i = (src.indexOf('-->', i) + 1 || fail('unclosed comment')) + 2;
      else if (src.startsWith('<!DOCTYPE', i)) {
        let depth = 0;
        for (; i < src.length; i++) {
          if (src[i] === '[') depth++;
          else if (src[i] === ']') depth--;
          else if (src[i] === '>' && depth === 0) break;
        }
        i++;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (src[i] !== '<') fail('expected <');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      space();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      const attr = name();
      space();
      if (src[i] !== '=') fail('expected =');
      i++;
      space();
      const quote = src[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
      const end = src.indexOf(quote!, i + 1);
      if (end === -1) fail('unclosed attribute value');
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      el.attrs[attr] = decode(src.slice(i + 1, end));
      i = end + 1;
    }
    for (;;) {
      if (i >= src.length) fail(`unclosed <${el.name}>`);
      if (src.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        space();
        if (src[i] !== '>') fail('expected >');
        i++;
        return el;
      }
      if (src.startsWith('<!--', i)) i = (src.indexOf('-->', i) + 1 || fail('unclosed comment')) + 2;
      else if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i);
        if (end === -1) fail('unclosed CDATA');
        el.text += src.slice(i + 9, end);
        i = end + 3;
      } else if (src.startsWith('<?', i)) i = (src.indexOf('?>', i) + 1 || fail('unclosed processing instruction')) + 1;
      else if (src[i] === '<') el.children.push(element());
      else {
        const end = src.indexOf('<', i);
        el.text += decode(src.slice(i, end === -1 ? src.length : end));
        i = end === -1 ? src.length : end;
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i < src.length) fail('content after the root element');
  return root;
}

/** Every element of a tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}
