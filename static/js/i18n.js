// Texts for scripts, translated on the server (templates/base.html puts them in #i18n).
const strings = JSON.parse(document.getElementById("i18n")?.textContent || "{}");

export function t(key) {
  return strings[key] || key;
}
