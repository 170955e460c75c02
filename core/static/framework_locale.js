/* select2's and the date picker's own texts in the page's language (docs/i18n.md "Framework strings").
 * FAB's ab.js and ab_filters.js start every select2 with the English placeholder "Select a State",
 * and select2 4.0 ships no locale file in FAB's static: the texts come from the
 * <meta name="jiguan-select2"> the layout renders through gettext, and this file (loaded after
 * select2, before FAB's document-ready handlers run) makes them the defaults and swaps FAB's
 * placeholder for ours. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="jiguan-select2"]');
  if (!meta || !window.jQuery || !jQuery.fn.select2) { return; }
  function text(name) { return meta.getAttribute("data-" + name) || ""; }
  var FAB_PLACEHOLDER = "Select a State";

  jQuery.fn.select2.defaults.set("language", {
    noResults: function () { return text("none"); },
    searching: function () { return text("searching"); },
    loadingMore: function () { return text("more"); },
    errorLoading: function () { return text("error"); },
    removeAllItems: function () { return text("clear"); },
    inputTooShort: function () { return text("too-short"); },
    inputTooLong: function () { return text("too-long"); },
    maximumSelected: function () { return text("too-many"); }
  });

  var original = jQuery.fn.select2;
  jQuery.fn.select2 = function (options) {
    if (options && typeof options === "object" && options.placeholder === FAB_PLACEHOLDER) {
      options = jQuery.extend({}, options, {placeholder: text("placeholder")});
    }
    return original.apply(this, arguments.length ? [options].concat([].slice.call(arguments, 1)) : []);
  };
  jQuery.extend(jQuery.fn.select2, original);
})();

/* bootstrap-datepicker (FAB's static, no locale files): month and day names from
 * <meta name="jiguan-datepicker">, comma-separated lists translated like any other string. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="jiguan-datepicker"]');
  if (!meta || !window.jQuery || !jQuery.fn.datepicker || !jQuery.fn.datepicker.dates) { return; }
  function list(name) { return (meta.getAttribute("data-" + name) || "").split(","); }
  jQuery.fn.datepicker.dates.jiguan = {
    days: list("days"), daysShort: list("days-short"), daysMin: list("days-min"),
    months: list("months"), monthsShort: list("months-short"),
    today: meta.getAttribute("data-today"), clear: meta.getAttribute("data-clear"),
    titleFormat: meta.getAttribute("data-title-format"), weekStart: 1,
    /* a right-to-left page (Uyghur) gets the picker's mirrored layout (.datepicker-rtl) */
    rtl: document.documentElement.getAttribute("dir") === "rtl"
  };
  jQuery.fn.datepicker.defaults.language = "jiguan";
})();

/* FAB's ab_actions.js calls ab_alert('No row selected') when a list action (e.g. 打印资产标签) is
 * pressed with no row ticked: the alert dialog (templates/appbuilder/general/alert.html) carries
 * that sentence in the page's language. */
(function () {
  "use strict";
  var dialog = document.getElementById("modal-alert");
  var fabAlert = window.ab_alert;
  if (!dialog || typeof fabAlert !== "function") { return; }
  var translated = {"No row selected": dialog.getAttribute("data-no-row-selected")};
  window.ab_alert = function (text) { return fabAlert(translated[text] || text); };
})();
