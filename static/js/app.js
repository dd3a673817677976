// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Ask before state-changing buttons marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Type-to-search for long selects (countries): a filter box above the select.
  document.querySelectorAll("select[data-search]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-filter";
    box.placeholder = select.getAttribute("data-search");
    box.setAttribute("aria-label", select.getAttribute("data-search"));
    select.parentNode.insertBefore(box, select);
    var options = Array.prototype.slice.call(select.options);
    var fold = function (s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    box.addEventListener("input", function () {
      var needle = fold(box.value.trim());
      var first = null;
      options.forEach(function (option) {
        var match = !needle || !option.value || fold(option.text).indexOf(needle) !== -1 || option.value.toLowerCase() === needle;
        option.hidden = !match;
        if (match && option.value && !first) { first = option; }
      });
      if (first && needle) { select.value = first.value; select.dispatchEvent(new Event("change")); }
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
  });

  // Select-all checkbox for bulk actions in tables.
  document.querySelectorAll("input[data-select-all]").forEach(function (master) {
    master.addEventListener("change", function () {
      document.querySelectorAll("input[name='" + master.getAttribute("data-select-all") + "']").forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });

  // Show or hide a group of fields depending on a checkbox (e.g. the visa letter details).
  document.querySelectorAll("[data-shown-by]").forEach(function (group) {
    var toggle = document.getElementById(group.getAttribute("data-shown-by"));
    if (!toggle) { return; }
    var sync = function () { group.hidden = !toggle.checked; };
    toggle.addEventListener("change", sync);
    sync();
  });
})();
