// The call for proposals: a live word count under the abstract (the server counts the same way).
(function () {
  "use strict";
  var ideograph = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var word = new RegExp("[" + ideograph + "]|[^\\s\\p{P}\\p{S}" + ideograph + "]+(?:['\u2019\\-][^\\s\\p{P}\\p{S}" + ideograph + "]+)*", "gu");
  document.querySelectorAll("[data-word-count-for]").forEach(function (counter) {
    var area = document.getElementById(counter.getAttribute("data-word-count-for"));
    if (!area) { return; }
    var limit = parseInt(area.getAttribute("data-word-limit"), 10);
    var template = counter.getAttribute("data-template") || "{words} / {limit}";
    var update = function () {
      var words = (area.value.match(word) || []).length;
      counter.textContent = template.replace("{words}", words.toLocaleString(document.documentElement.lang))
        .replace("{limit}", limit.toLocaleString(document.documentElement.lang));
      counter.classList.toggle("over", words > limit);
    };
    counter.hidden = false;
    area.addEventListener("input", update);
    update();
  });
}());
