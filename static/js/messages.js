// Messages: the message page follows its progress (every few seconds until every mail is sent or failed).
(function () {
  "use strict";
  var panel = document.querySelector("[data-progress-url]");
  if (!panel) { return; }
  var url = panel.getAttribute("data-progress-url");
  var format = function (value) {
    return typeof value === "number" ? value.toLocaleString(document.documentElement.lang) : value;
  };
  var refresh = function () {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (numbers) {
        if (!numbers) { return; }
        panel.querySelectorAll("[data-count]").forEach(function (cell) {
          cell.textContent = format(numbers[cell.getAttribute("data-count")]);
        });
        if (numbers.done) {
          panel.setAttribute("data-done", "true");
        } else {
          window.setTimeout(refresh, 2000);
        }
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  };
  if (panel.getAttribute("data-done") !== "true") { window.setTimeout(refresh, 1000); }
}());
