/* global document, Node */
// DOM helpers of the web console: element building (text always set as text, never as HTML) and the notice line.

export const $ = (sel) => document.querySelector(sel);

/** A DOM element: attrs (class, data-*, other attributes, on* listeners) and children (nodes or text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    // CSSOM, not a style attribute: the page's Content-Security-Policy allows no inline styles.
    else if (k === 'style') Object.assign(node.style, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat())
    if (c !== undefined && c !== null && c !== false)
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

export function svg(tag, attrs = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export function notice(text, isError = false) {
  const n = $('#notice');
  n.textContent = text;
  n.className = isError ? 'error' : '';
  n.hidden = !text;
}
