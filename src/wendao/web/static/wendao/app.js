// Small behaviours of every page, kept out of the templates: the Content-Security-Policy allows no inline
// script and no on* attributes (wendao/web/csp.py).
(function () {
  "use strict";
  // <select data-autosubmit>: choosing an option submits its form (the filter above a list)
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit();
      else el.form.submit();
    }
  });
  // Discussion groups on a phone: 300 firms in 38 open groups make a page tens of thousands of pixels tall, so
  // each group folds under its heading there; a group opened by hand stays open through the htmx swap that
  // re-scores the groups after a move; a link from the summary table opens its group.
  var PHONE = "(max-width: 600px)";
  var opened = {};
  function foldGroups(root) {
    if (!root || !root.querySelectorAll || !window.matchMedia(PHONE).matches) return;
    root.querySelectorAll("#groups details.group").forEach(function (d) {
      d.open = !!opened[d.id] || (location.hash === "#" + d.id);
    });
  }
  // what the organiser opened or closed by hand (a click on a heading, Enter on it included), not the "toggle"
  // events that the swapped-in groups fire as they arrive open
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target : null;
    var summary = target ? target.closest("#groups details.group > summary") : null;
    if (summary) opened[summary.parentElement.id] = !summary.parentElement.open;
    var a = target ? target.closest("#group-summary a[href^='#group-']") : null;
    var d = a ? document.getElementById(a.getAttribute("href").slice(1)) : null;
    if (d) { d.open = true; opened[d.id] = true; }
  });
  document.addEventListener("DOMContentLoaded", function () { foldGroups(document); });
  document.addEventListener("htmx:afterSettle", function () { foldGroups(document); });
})();
