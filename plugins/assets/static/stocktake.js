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
    tr.classList.add("jiguan-busy");
    tr.jiguanDirty = false;
    show(tr, "saving", text("saving"));
    var xhr = new XMLHttpRequest();
    xhr.open("POST", api + tr.getAttribute("data-line") + "/count");
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.setRequestHeader("X-CSRFToken", window.jiguan ? window.jiguan.csrfToken() : "");
    xhr.timeout = 20000;
    var done = function (ok, message) {
      tr.jiguanBusy = false;
      tr.classList.remove("jiguan-busy");
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
  // 保存实盘结果 while a line is being saved (leaving a field saves it, then the click submits):
  // post the sheet once the lines have answered, so the two never write the same line at once
  var submitting = false;
  form.addEventListener("submit", function (event) {
    var busy = function () { return form.querySelector("tr[data-line].jiguan-busy") !== null; };
    if (submitting || !busy()) { return; }
    event.preventDefault();
    submitting = true;
    var wait = function () { if (busy()) { setTimeout(wait, 100); } else { form.submit(); } };
    wait();
  });
})();

// 扫码: a photo of an asset label (<input type=file capture>: the phone's camera, on every phone)
// decoded here by the vendored jsQR; the label's URL (…/assetview/show/<id>) or a typed asset
// number finds the line: scrolled to, highlighted, its 在 button focused. A label not in this
// stocktake offers 盘盈登记 (the surplus form below) when the stocktake is open.
(function () {
  "use strict";
  var bar = document.getElementById("scan-bar");
  if (!bar) { return; }
  var text = function (name) { return bar.getAttribute("data-" + name) || ""; };
  var result = document.getElementById("scan-result");
  var MAX_SIDE = 1280;  // a phone photo scaled down: enough for a label, quick to decode

  function say(kind, message, offerSurplus, code) {
    result.className = "alert alert-" + kind;
    result.textContent = message;
    var surplus = document.getElementById("surplus-form");
    if (offerSurplus && surplus) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-primary";
      button.id = "scan-surplus";
      button.textContent = text("surplus");
      button.addEventListener("click", function () {
        var note = surplus.querySelector('[name="note"]');
        if (note && code) { note.value = text("label-note") + code; }
        surplus.scrollIntoView({ block: "center" });
        surplus.querySelector('[name="name"]').focus();
      });
      result.appendChild(document.createTextNode(" "));
      result.appendChild(button);
    }
  }

  function lineFor(code) {
    var match = /\/assetview\/show\/(\d+)/.exec(code);
    var rows = document.querySelectorAll("#count-lines tr[data-line]");
    for (var i = 0; i < rows.length; i++) {
      var tr = rows[i];
      if (match ? tr.getAttribute("data-asset-id") === match[1]
                : tr.getAttribute("data-asset").toUpperCase() === code.toUpperCase()) { return tr; }
    }
    return null;
  }

  function find(code) {
    code = (code || "").trim();
    if (!code) { return; }
    var tr = lineFor(code);
    document.querySelectorAll("#count-lines tr.scan-hit").forEach(function (r) { r.classList.remove("scan-hit"); });
    if (!tr) {
      say("warning", text("unknown") + code, bar.hasAttribute("data-editable"), code);
      return;
    }
    tr.classList.add("scan-hit");
    say("success", text("found") + tr.getAttribute("data-asset") + " " +
        tr.querySelector(".cell-name").textContent.trim(), false);
    tr.scrollIntoView({ block: "center" });
    var first = tr.querySelector('.count-found-buttons [data-found="1"]');
    if (first && first.offsetParent !== null) { first.focus(); }
  }

  function decode(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var image = new Image();  // a data: URL: the CSP's img-src allows it, blob: it does not
      image.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.width * scale);
        canvas.height = Math.round(image.height * scale);
        var context = canvas.getContext("2d");
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
        var decoder = window.jsQR && (window.jsQR.default || window.jsQR);  // the UMD build's export
        var code = decoder ? decoder(pixels.data, pixels.width, pixels.height) : null;
        if (code && code.data) { find(code.data); } else { say("danger", text("unreadable"), false); }
      };
      image.onerror = function () { say("danger", text("unreadable"), false); };
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
  }

  var input = document.getElementById("scan-file");
  input.addEventListener("change", function () {
    if (input.files && input.files[0]) { decode(input.files[0]); }
    input.value = "";  // the same label scanned again fires again
  });
  var number = document.getElementById("scan-number");
  document.getElementById("scan-find").addEventListener("click", function () { find(number.value); });
  number.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); find(number.value); }
  });
})();
