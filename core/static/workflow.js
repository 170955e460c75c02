// The approval panel (templates/core/workflow_show.html): every action asks first, in a dialog
// of the page's language (not the browser's OK/Cancel), and one that needs a reason (退回, 撤回)
// is not sent without one. No inline script: the Content-Security-Policy refuses it.
(function () {
  "use strict";
  var form = document.getElementById("workflow-form");
  var modal = document.getElementById("workflow-confirm");
  if (!form || !modal) { return; }
  var text = document.getElementById("workflow-confirm-text");
  var reason = document.getElementById("workflow-confirm-reason");
  var ok = document.getElementById("workflow-confirm-ok");
  var comment = form.querySelector("textarea");
  var chosen = null;

  function show() {
    if (window.jQuery && jQuery.fn.modal) { jQuery(modal).modal("show"); }
    else { modal.style.display = "block"; modal.classList.add("in"); }
  }
  function hide() {
    if (window.jQuery && jQuery.fn.modal) { jQuery(modal).modal("hide"); }
    else { modal.style.display = "none"; modal.classList.remove("in"); }
  }

  form.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      chosen = button;
      var missing = button.getAttribute("data-comment-required") === "true" &&
        (!comment || !comment.value.trim());
      text.textContent = button.getAttribute("data-confirm");
      reason.classList.toggle("hidden", !missing);
      ok.disabled = missing;
      ok.className = "btn " + (button.className.match(/btn-(primary|warning|default|success)/) || ["btn-primary"])[0];
      show();
    });
  });

  ok.addEventListener("click", function () {
    if (!chosen) { return; }
    form.setAttribute("action", chosen.getAttribute("formaction"));
    hide();
    form.submit();
  });
  document.getElementById("workflow-confirm-cancel").addEventListener("click", function () {
    chosen = null;
    hide();
    if (comment && reason && !reason.classList.contains("hidden")) { comment.focus(); }
  });
})();
