// The group workspace (programmes/workspace.html): autosave forms that survive a dropped phone connection, and
// comment forms that clear once their comment is saved. No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  function retryLater(form) {
    window.setTimeout(function () {
      if (form.dataset.dirty === "1" && window.htmx) window.htmx.trigger(form, "retry");
    }, 5000);
  }
  // The catalog's scenarios are sent once with the page (a <template>), not with every polled board: each
  // comment form's list is filled here, when it first appears (kept afterwards: the comment box is hx-preserve).
  function fillScenarios(root) {
    var source = document.getElementById("scenario-options");
    if (!source || !root || !root.querySelectorAll) return;
    root.querySelectorAll("select[data-scenario-options]").forEach(function (select) {
      if (select.dataset.filled === "1") return;
      var chosen = select.value;
      var list = source.content.cloneNode(true);
      list.querySelectorAll("option").forEach(function (o) { if (o.value === chosen) o.remove(); });
      select.appendChild(list);
      select.value = chosen;
      select.dataset.filled = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { fillScenarios(document); });
  document.addEventListener("htmx:load", function (e) { fillScenarios(e.detail.elt); });
  document.addEventListener("input", function (e) {
    var form = e.target.closest && e.target.closest("form.autosave");
    if (form) form.dataset.dirty = "1";
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var elt = e.detail.elt;
    var form = elt && elt.closest ? elt.closest("form") : null;
    if (!form) return;
    var xhr = e.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (form.classList.contains("autosave")) {
      if (e.detail.successful) {
        form.dataset.dirty = "0";
      } else if (status === 0 || status >= 500) {
        // offline or the server failed: keep the text where it is and try again in a few seconds
        var state = form.querySelector(".saved-state");
        if (state) state.textContent = form.dataset.offline || "";
        retryLater(form);
      }
    }
    if (form.classList.contains("comment-form") && e.detail.successful) form.reset();
  });
})();
