// An import's page while the import runs (templates/admin/integrations/importjob/change_form.html):
// every few seconds the page is read again and its fields replaced in place, until the status
// line no longer asks for it; the status line is a live region, so its new text is announced.
(() => {
  const state = document.getElementById("import-state");
  if (!state || !state.dataset.refreshSeconds) return;
  const delay = Number(state.dataset.refreshSeconds) * 1000;

  async function refresh() {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const freshState = fresh.getElementById("import-state");
    const old = document.querySelectorAll("#content-main fieldset.module");
    const now = fresh.querySelectorAll("#content-main fieldset.module");
    if (!freshState || old.length !== now.length) return;
    old.forEach((fieldset, i) => fieldset.replaceWith(document.adoptNode(now[i])));
    if (freshState.textContent !== state.textContent) state.textContent = freshState.textContent;
    if (freshState.dataset.refreshSeconds) window.setTimeout(refresh, delay);
  }

  window.setTimeout(refresh, delay);
})();
