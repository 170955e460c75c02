// Behaviour of jiguan's own pages, bound by data attributes: the Content-Security-Policy
// (core/web/headers.py) runs no inline handler (onclick=…) and no script without the nonce.
(function () {
  "use strict";

  // The session's CSRF token (<meta name="csrf-token">): send it as X-CSRFToken on API writes.
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  window.jiguan = { csrfToken: csrfToken };

  // <label data-file-picker> holding an <input type=file>, and [data-file-names] beside it: show
  // the names of the chosen files (the browser's own "No file chosen" is not shown, nor translated).
  document.querySelectorAll("[data-file-picker]").forEach(function (label) {
    var input = label.querySelector("input[type=file]");
    var names = label.parentNode.querySelector("[data-file-names]");
    if (!input || !names) { return; }
    var none = names.textContent;
    input.addEventListener("change", function () {
      names.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join("、") || none;
    });
  });

  // <form data-confirm="…">: ask before submitting (delete, revoke a token …).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // <input type="checkbox" data-check-all="css selector">: tick or untick every box it names (批量添加).
  document.querySelectorAll("[data-check-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll(box.getAttribute("data-check-all")).forEach(function (c) { c.checked = box.checked; });
    });
  });

  // <select data-autosubmit>: choosing submits its form (the jurisdiction of 模块启用).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // <button data-fill-select="css selector" data-fill-value="1">: fill the empty selects it names.
  document.querySelectorAll("[data-fill-select]").forEach(function (button) {
    button.addEventListener("click", function () {
      var value = button.getAttribute("data-fill-value");
      document.querySelectorAll(button.getAttribute("data-fill-select")).forEach(function (s) {
        if (!s.value) { s.value = value; }
      });
    });
  });

  // <body … data-reload-after="5000"> (any element): reload the page after so many ms.
  var reload = document.querySelector("[data-reload-after]");
  if (reload) {
    setTimeout(function () { window.location.reload(); },
               parseInt(reload.getAttribute("data-reload-after"), 10) || 5000);
  }

  // A running job's page (<table id="job" data-api data-poll>): poll its API, reload when done.
  var table = document.querySelector("#job[data-poll]");
  if (table) {
    var bar = document.getElementById("job-progress");
    var status = document.getElementById("job-status");
    var rate = document.getElementById("job-rate");
    var poll = function () {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", table.getAttribute("data-api"));
      xhr.onload = function () {
        if (xhr.status !== 200) { setTimeout(poll, 5000); return; }
        var job = JSON.parse(xhr.responseText).result;
        if (bar) {
          bar.style.width = job.progress + "%";
          bar.textContent = job.progress + "%";
          bar.setAttribute("aria-valuenow", job.progress);
        }
        if (status) { status.textContent = job.status_label; }
        if (rate) { rate.textContent = job.rate_text || ""; }  // 每 1,000 行 N 秒, translated by the API
        if (job.status === "done" || job.status === "failed") { window.location.reload(); }
        else { setTimeout(poll, 1500); }
      };
      xhr.onerror = function () { setTimeout(poll, 5000); };
      xhr.send();
    };
    setTimeout(poll, 1000);
  }
})();
