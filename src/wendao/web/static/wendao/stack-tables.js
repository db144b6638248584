// Phones (issue 17): a table in a card becomes stacked cards below 600 px (app.css, table.stacked) instead of
// scrolling sideways. Each cell gets its column's heading as data-label, read from the table's <thead>; tables
// without one (and those whose template labels its cells itself, .stack-table) are left alone. Run again on every
// htmx swap (the plan's what-if replaces the plan body). No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  function label(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll(".card table").forEach(function (table) {
      if (table.classList.contains("stack-table") || table.classList.contains("no-stack")) return;
      var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
      if (!head) return;
      var names = [];
      Array.prototype.forEach.call(head.cells, function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.replace(/\s+/g, " ").trim());
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && names[col]) cell.setAttribute("data-label", names[col]);
            // a long cell (reasons, policies, several lines) takes the card's whole width
            if (cell.textContent.trim().length > 16 || cell.querySelector("ul, ol, br, span + span, form")) {
              cell.classList.add("wide");
            }
            col += cell.colSpan || 1;
          });
        });
      });
      table.classList.add("stacked");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:load", function (e) { label(e.detail.elt); });
})();
