// A file input's button and its "no file chosen" line are drawn by the browser in the browser's own language
// (English in an English Chromium), whatever language the page is in. Each file input gets a button and a
// file-name line in the page's language instead (the words come from <body data-file-choose/-none>, translated by
// the template); the native control stays in the page, visually hidden and reachable through its <label for>, so
// forms post exactly as before. No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  function enhance(root) {
    if (!root || !root.querySelectorAll) return;
    var words = document.body.dataset;
    root.querySelectorAll('input[type="file"]:not([data-picker])').forEach(function (input) {
      input.setAttribute("data-picker", "");
      var box = document.createElement("span");
      box.className = "file-pick";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "file-pick-button";
      button.textContent = words.fileChoose || "选择文件";
      var name = document.createElement("span");
      name.className = "file-pick-name";
      name.setAttribute("aria-live", "polite");
      name.textContent = words.fileNone || "未选择文件";
      input.parentNode.insertBefore(box, input);
      box.appendChild(input);
      box.appendChild(button);
      box.appendChild(name);
      input.classList.add("file-pick-native");
      input.tabIndex = -1;
      button.addEventListener("click", function () { input.click(); });
      input.addEventListener("change", function () {
        var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
        name.textContent = names.length ? names.join("、") : (words.fileNone || "未选择文件");
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();
