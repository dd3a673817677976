// The organizers' questions: a question asked only of some proposal types is shown once one of them is chosen, and
// a question asked only on another's answer when that answer is given. The server applies the same rules and drops
// an answer to a question that was not asked.
(function () {
  "use strict";
  var fields = document.querySelectorAll(".question[data-condition-question], .question[data-proposal-types]");
  if (!fields.length) { return; }
  var typeSelect = document.querySelector("select[name='proposal_type_id']");
  var chosen = function (questionId) {
    var values = [];
    document.querySelectorAll("input[data-question='" + questionId + "']").forEach(function (input) {
      if (input.checked) { values.push(input.value); }
    });
    return values;
  };
  var show = function (field, shown) {
    field.hidden = !shown;
    field.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
  };
  var ofChosenType = function (field) {
    var types = field.getAttribute("data-proposal-types");
    // Until a type is chosen, only the questions asked of every type are shown.
    return !types || !typeSelect || types.split(" ").indexOf(typeSelect.value) !== -1;
  };
  var update = function () {
    // Types first: a question that conditions another is itself never conditional (one level), so once the types
    // are applied every condition's question has its final visibility.
    fields.forEach(function (field) { show(field, ofChosenType(field)); });
    fields.forEach(function (field) {
      var condition = field.getAttribute("data-condition-question");
      if (!condition || field.hidden) { return; }
      var wanted = field.getAttribute("data-condition-values").split(" ");
      var master = document.getElementById("question-" + condition + "-field");
      show(field, !(master && master.hidden) && chosen(condition).some(function (value) {
        return wanted.indexOf(value) !== -1;
      }));
    });
  };
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target === typeSelect || (target.hasAttribute && target.hasAttribute("data-question"))) { update(); }
  });
  update();
}());
