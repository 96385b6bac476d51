// The one parse5 importer: HTML text → a small plain tree with line numbers.
// parse5 follows the WHATWG parsing algorithm, so broken markup is repaired the
// way browsers repair it; nothing is executed. <template> contents live in a
// separate fragment in parse5's tree and so never appear here.
import { parse, type DefaultTreeAdapterMap } from 'parse5';

type P5Node = DefaultTreeAdapterMap['node'];
type P5Element = DefaultTreeAdapterMap['element'];

export interface HElement {
  kind: 'el';
  tag: string;
  attrs: Record<string, string>;
  children: HNode[];
  line?: number;
  lineEnd?: number;
}
export interface HText {
  kind: 'text';
  text: string;
}
export type HNode = HElement | HText;

/** Subtrees deeper than this are dropped (pathological nesting would exhaust the stack). */
export const MAX_DEPTH = 400;

export function parseHtmlDom(html: string): { root: HElement; truncated: boolean } {
  const doc = parse(html, { sourceCodeLocationInfo: true });
  let truncated = false;
  const convert = (node: P5Node, depth: number): HNode | undefined => {
    if (node.nodeName === '#text') return { kind: 'text', text: (node as DefaultTreeAdapterMap['textNode']).value };
    if (!('tagName' in node)) return undefined; // comments, doctype
    const el = node as P5Element;
    const out: HElement = {
      kind: 'el',
      tag: el.tagName.toLowerCase(),
      attrs: Object.fromEntries(el.attrs.map((a) => [a.name.toLowerCase(), a.value])),
      children: [],
    };
    const loc = el.sourceCodeLocation;
    if (loc) {
      out.line = loc.startLine;
      out.lineEnd = loc.endTag?.endLine ?? loc.endLine;
    }
    if (depth >= MAX_DEPTH) {
      truncated = true;
      return out;
    }
    for (const c of el.childNodes) {
      const h = convert(c, depth + 1);
      if (h) out.children.push(h);
    }
    return out;
  };
  const root: HElement = { kind: 'el', tag: '#document', attrs: {}, children: [] };
  for (const c of doc.childNodes) {
    const h = convert(c, 0);
    if (h) root.children.push(h);
  }
  return { root, truncated };
}
