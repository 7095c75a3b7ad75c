/** Small DOM and SVG builders: attributes only (no inline `style`, which the CSP forbids). */

const SVG_NS = 'http://www.w3.org/2000/svg';

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

function setAttrs(node: Element, attrs: Attrs): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
}

function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Creates an HTML element: `h('div', {class: 'row'}, 'text', child)`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Creates an SVG element: `s('rect', {x: 0, y: 0, width: 10, height: 10})`. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Replaces all children of `node`. */
export function replaceChildren(node: Element, ...children: Child[]): void {
  node.textContent = '';
  append(node, children);
}

/** An SVG `<title>` (the tooltip and accessible name of its parent). */
export const svgTitle = (text: string): SVGTitleElement => s('title', {}, text);

/** Formats an integer with thousands separators. */
export const formatInt = (n: number): string => Math.round(n).toLocaleString('en-US');
