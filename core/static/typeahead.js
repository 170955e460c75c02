/* Type-ahead relation fields (core/typeahead.py): select2 (shipped with FAB) fed by the
 * view's /typeahead/<column> endpoint, a page of matches at a time, instead of a <select>
 * holding every row. Also picks up the fields FAB's search filters add later. */
(function () {
  if (window.jiguanTypeahead) { return; }
  window.jiguanTypeahead = true;

  function init(el) {
    if (el.getAttribute("data-typeahead-ready") || !window.jQuery || !jQuery.fn.select2) { return; }
    el.setAttribute("data-typeahead-ready", "1");
    jQuery(el).select2({
      theme: "bootstrap",
      width: "100%",
      allowClear: el.getAttribute("data-allow-clear") === "true",
      placeholder: el.getAttribute("data-placeholder") || "",
      language: {
        noResults: function () { return el.getAttribute("data-msg-none"); },
        searching: function () { return el.getAttribute("data-msg-searching"); },
        loadingMore: function () { return el.getAttribute("data-msg-more"); },
        errorLoading: function () { return el.getAttribute("data-msg-error"); }
      },
      ajax: {
        url: el.getAttribute("data-url"),
        dataType: "json",
        delay: 250,
        data: function (params) { return {q: params.term || "", page: params.page || 1}; }
      }
    });
  }

  function scan(root) {
    if (root.matches && root.matches("select.jiguan-typeahead")) { init(root); return; }
    if (root.querySelectorAll) { root.querySelectorAll("select.jiguan-typeahead").forEach(init); }
  }

  function start() {
    scan(document);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) { if (node.nodeType === 1) { scan(node); } });
      });
    }).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
