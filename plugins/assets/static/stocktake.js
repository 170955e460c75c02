// The stocktake's count screen (assets/stocktake_count.html): each line saved on its own, the
// moment it is counted (operation 录入实盘结果 of the line's API), so a flaky connection loses one
// line, not the sheet: the line says 已保存, or 保存失败 with the reason and a 重试 button. The
// whole-sheet 保存实盘结果 still posts the form as before. Texts come translated in data-* of the form.
(function () {
  "use strict";
  var form = document.getElementById("count-form");
  if (!form || !form.hasAttribute("data-line-api")) { return; }
  var text = function (name) { return form.getAttribute("data-" + name) || ""; };
  var api = form.getAttribute("data-line-api");

  function field(tr, prefix) { return tr.querySelector('[name="' + prefix + tr.getAttribute("data-line") + '"]'); }

  function show(tr, kind, message) {
    var state = tr.querySelector(".count-line-state");
    state.className = "count-line-state " + kind;
    state.textContent = message;
    if (kind === "failed") {
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-xs btn-warning count-retry";
      retry.textContent = text("retry");
      retry.addEventListener("click", function () { save(tr); });
      state.appendChild(document.createTextNode(" "));
      state.appendChild(retry);
    }
  }

  function syncButtons(tr) {
    var found = field(tr, "found_").value;
    tr.querySelectorAll(".count-found-buttons [data-found]").forEach(function (button) {
      var on = button.getAttribute("data-found") === found;
      button.classList.toggle("active", on);
      button.classList.toggle(found === "1" ? "btn-success" : "btn-danger", on);
      if (!on) { button.classList.remove("btn-success", "btn-danger"); }
    });
  }

  // one request per line at a time; a change made meanwhile is sent when it answers
  function save(tr) {
    if (tr.jiguanBusy) { tr.jiguanDirty = true; return; }
    tr.jiguanBusy = true;
    tr.jiguanDirty = false;
    show(tr, "saving", text("saving"));
    var xhr = new XMLHttpRequest();
    xhr.open("POST", api + tr.getAttribute("data-line") + "/count");
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.setRequestHeader("X-CSRFToken", window.jiguan ? window.jiguan.csrfToken() : "");
    xhr.timeout = 20000;
    var done = function (ok, message) {
      tr.jiguanBusy = false;
      if (tr.jiguanDirty) { save(tr); return; }
      show(tr, ok ? "saved" : "failed", ok ? text("saved") : text("failed") + (message ? "：" + message : ""));
    };
    xhr.onload = function () {
      var message = "";
      try { message = JSON.parse(xhr.responseText).message || ""; } catch (e) { message = ""; }
      if (typeof message !== "string") { message = JSON.stringify(message); }
      done(xhr.status === 200, message || (xhr.status === 200 ? "" : text("http") + " " + xhr.status));
    };
    xhr.onerror = xhr.ontimeout = function () { done(false, text("offline")); };
    xhr.send(JSON.stringify({
      found: field(tr, "found_").value, counted_status: field(tr, "status_").value,
      counted_location: field(tr, "location_").value, note: field(tr, "note_").value,
    }));
  }

  form.querySelectorAll("tr[data-line]").forEach(function (tr) {
    tr.querySelectorAll(".count-found-buttons [data-found]").forEach(function (button) {
      button.addEventListener("click", function () {
        field(tr, "found_").value = button.getAttribute("data-found");
        syncButtons(tr);
        save(tr);
      });
    });
    ["found_", "status_", "location_", "note_"].forEach(function (prefix) {
      var input = field(tr, prefix);
      if (!input || input.disabled) { return; }
      input.addEventListener("change", function () {
        if (prefix === "found_") { syncButtons(tr); }
        save(tr);
      });
    });
  });
  window.jiguanStocktake = { save: save };
})();
