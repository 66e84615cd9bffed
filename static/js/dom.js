// Small DOM helpers every view shares. User text only ever goes in through textContent.
import { t } from "./i18n.js";

// An element with a class and (optional) text.
export function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// A translated text with {name} placeholders filled in.
export function fill(key, vars) {
  return t(key).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}
