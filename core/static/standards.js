// The 标准定额 form (catalog/views.py): the 类别 drop-down carries every kind as JSON in
// data-standard-kinds. Choosing a kind shows its description, unit and what a lower level may
// do, offers only that kind's 项目 (its group of the 项目 drop-down) and the value input of its
// type: 标准值 for a number, 标准内容 for a text (a 服务标准's content and grade). The rules
// decide on the server all the same (catalog/rules.py); this only spares a wrong choice.
(function () {
  "use strict";
  var kindSelect = document.querySelector("select[data-standard-kinds]");
  if (!kindSelect) { return; }
  var kinds = JSON.parse(kindSelect.getAttribute("data-standard-kinds"));
  var form = kindSelect.form;
  var keySelect = form.querySelector("select[name=key]");
  var unit = form.querySelector("[name=unit]");
  var help = document.createElement("p");
  help.className = "help-block jiguan-standard-kind";
  kindSelect.parentNode.appendChild(help);

  function row(name) {
    var input = form.querySelector("[name=" + name + "]");
    return input ? (input.closest("tr") || input.closest(".form-group") || input) : null;
  }

  function narrowKeys(kind) {
    if (!keySelect) { return; }
    var chosen = keySelect.value, keep = null;
    keySelect.querySelectorAll("optgroup").forEach(function (group) {
      var shown = !kind || group.label === kind.group;
      group.hidden = !shown;
      group.querySelectorAll("option").forEach(function (option) {
        option.disabled = !shown;
        if (shown && option.value === chosen && keep === null) { keep = option; }
      });
    });
    if (keep) { keep.selected = true; } else if (kind) { keySelect.value = ""; }
  }

  function update(first) {
    var kind = kinds[kindSelect.value];
    help.textContent = kind ? kind.help : "";
    narrowKeys(kind);
    var text = kind && kind.type === "text";
    var value = row("value"), content = row("text_value");
    if (value) { value.hidden = !!text; }
    if (content) { content.hidden = !!kind && !text; }
    if (unit && kind && (!first || !unit.value)) { unit.value = kind.unit || ""; }
  }

  kindSelect.addEventListener("change", function () { update(false); });
  update(true);
})();
