// The program builder's convenience: the up/down, new-day and remove buttons post their form
// with fetch and swap in the list the server renders back, keeping the place on the page and the
// focus on the same button (touch and keyboard alike). Without this script the same forms post
// and the page reloads: everything works, only less smoothly.
import { t } from "./i18n.js";

const status = document.getElementById("program-status");

function say(text, isError) {
  if (!status) return;
  status.textContent = text || "";
  status.classList.toggle("error", Boolean(isError));
}

function refocus(itemId, action) {
  const li = document.getElementById(`item-${itemId}`);
  if (!li) return;
  li.classList.remove("prog-flash");
  void li.offsetWidth; // restart the highlight
  li.classList.add("prog-flash");
  const button = li.querySelector(`[data-action="${action}"]`);
  const target = button && !button.disabled ? button : li.querySelector("button, summary");
  if (target) target.focus({ preventScroll: true });
  const box = li.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) li.scrollIntoView({ block: "center" });
}

async function send(form, submitter) {
  const li = form.closest("[data-item-id]");
  const itemId = li ? li.dataset.itemId : null;
  const action = submitter ? submitter.dataset.action : null;
  const body = new FormData(form);
  if (submitter && submitter.name) body.append(submitter.name, submitter.value);
  const list = document.getElementById("program");
  list.classList.add("prog-busy");
  say(t("sending"));
  let reply;
  try {
    const response = await fetch(form.action, {
      method: "POST", body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
    });
    reply = await response.json();
  } catch (err) {
    // No answer we can read (offline, a proxy's page): let the browser post the form itself.
    list.classList.remove("prog-busy");
    form.submit();
    return;
  }
  list.classList.remove("prog-busy");
  if (!reply.ok) {
    say(reply.error || t("not_saved"), true);
    return;
  }
  const fresh = new DOMParser().parseFromString(reply.html, "text/html").getElementById("program");
  if (fresh) list.replaceWith(fresh);
  say(reply.message || t("saved"));
  if (itemId) refocus(itemId, action);
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("js-program")) return;
  event.preventDefault();
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
  send(form, event.submitter || null);
});
