/**
 * Building the pages' DOM. Text from the service is always set with textContent (the `text`
 * attribute below), never parsed as HTML.
 */

/** `text` sets the element's text, `className` its class; every other entry is set as an attribute. */
export type Attrs = Readonly<Record<string, string>>;

/** A child to append; null, undefined and false are skipped, so optional parts can be written inline. */
export type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, children: readonly Child[] = []): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (name === 'text') e.textContent = value;
    else if (name === 'className') e.className = value;
    else e.setAttribute(name, value);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

/** The element with this id, of the type the page's markup promises; a page that does not match its script fails at once. */
export function byId<T extends HTMLElement>(id: string, type: { new (): T; readonly name: string }): T {
  const e = document.getElementById(id);
  if (!(e instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return e;
}

/** `—` for what is not known. */
export function dash(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}
