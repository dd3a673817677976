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

// The compose page: the number of recipients and the first of them follow the audience fields as they change.
(function () {
  "use strict";
  var form = document.querySelector("[data-audience-url]");
  if (!form) { return; }
  var count = document.getElementById("recipient-count");
  var list = document.getElementById("recipient-list");
  var fields = ["kind", "status", "country", "category", "delegation", "head", "answer", "checked_in_on",
    "not_checked_in", "proposal_state", "session"];
  var pending = 0;
  var update = function () {
    var query = new URLSearchParams();
    fields.forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (!input) { return; }
      if (input.type === "checkbox") {
        if (input.checked) { query.set(name, "y"); }
      } else if (input.value) {
        query.set(name, input.value);
      }
    });
    var mine = ++pending;
    fetch(form.getAttribute("data-audience-url") + "?" + query.toString(),
      { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || mine !== pending) { return; }
        count.textContent = answer.text;
        list.replaceChildren.apply(list, answer.first.map(function (person) {
          var item = document.createElement("li");
          var name = document.createElement("span");
          name.dir = "auto";
          name.textContent = person.name;
          var address = document.createElement("span");
          address.dir = "ltr";
          address.textContent = " <" + person.email + ">";
          item.append(name, address);
          return item;
        }));
      })
      .catch(function () { /* the count stays as it was; "Update the recipients" still works */ });
  };
  fields.forEach(function (name) {
    var input = form.elements.namedItem(name);
    if (input) { input.addEventListener("change", update); }
  });
}());
