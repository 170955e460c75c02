// 报表中心 (templates/reports/*.html), bound by data attributes: no inline script under the CSP.
(function () {
  "use strict";

  // <input data-filter-rows="css selector">: hide the rows whose data-text does not contain what is typed.
  document.querySelectorAll("input[data-filter-rows]").forEach(function (input) {
    var rows = document.querySelectorAll(input.getAttribute("data-filter-rows"));
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      rows.forEach(function (row) {
        var text = (row.getAttribute("data-text") || "").toLowerCase();
        row.hidden = query !== "" && text.indexOf(query) === -1;
      });
    });
  });

  // The result (preview or error) under the form: bring it into view once it is there.
  var result = document.getElementById("report-result");
  if (result && result.children.length) { result.scrollIntoView({block: "start"}); }
})();
