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
})();
