// The organizers' questions: a question asked only on another's answer is shown when that answer is given.
// The server applies the same condition and drops an answer to a question that was not asked.
(function () {
  "use strict";
  var dependants = document.querySelectorAll("[data-condition-question]");
  if (!dependants.length) { return; }
  var chosen = function (questionId) {
    var values = [];
    document.querySelectorAll("input[data-question='" + questionId + "']").forEach(function (input) {
      if (input.checked) { values.push(input.value); }
    });
    return values;
  };
  var update = function () {
    dependants.forEach(function (field) {
      var wanted = field.getAttribute("data-condition-values").split(" ");
      var condition = field.getAttribute("data-condition-question");
      var master = document.getElementById("question-" + condition + "-field");
      var shown = !(master && master.hidden) && chosen(condition).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      field.hidden = !shown;
      field.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
    });
  };
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-question")) { update(); }
  });
  update();
}());
