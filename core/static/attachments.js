// The 附件 panel (templates/core/attachments.html): files dropped on the box join the form's
// multi-file input, and their names are listed. Without this script the input works alone.
(function () {
  "use strict";
  document.querySelectorAll("[data-attachment-drop]").forEach(function (box) {
    var input = box.querySelector("input[type=file]");
    var names = box.querySelector("[data-attachment-names]");
    function show() {
      names.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join("、")
        || names.getAttribute("data-none") || "";
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      box.addEventListener(name, function (event) { event.preventDefault(); box.classList.add("attachment-drop-over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      box.addEventListener(name, function () { box.classList.remove("attachment-drop-over"); });
    });
    box.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
  });
}());
