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

  // Folding for search: case, Latin accents, Arabic short vowels, hamza and alef forms, tatweel.
  var fold = function (s) {
    return (s || "").normalize("NFKD")
      .replace(/[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064a")
      .replace(/\u0629/g, "\u0647")
      .toLowerCase().trim();
  };

  // Type-to-search for long selects (countries). The select stays in the form and keeps its value;
  // a combobox (text box + list) is shown in its place. Keyboard: arrows move, Enter or Tab picks,
  // Escape closes. On a touch screen the list is tapped.
  var comboCount = 0;
  var noMatches = document.body.getAttribute("data-text-no-matches") || "";
  document.querySelectorAll("select[data-search]").forEach(function (select) {
    comboCount += 1;
    var id = select.id || "combo-" + comboCount;
    var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;
    var wrap = document.createElement("div");
    wrap.className = "combo";
    var input = document.createElement("input");
    input.type = "text";
    input.id = id + "-search";
    input.className = "combo-input";
    input.placeholder = select.getAttribute("data-search") || "";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("autocapitalize", "off");
    input.setAttribute("autocorrect", "off");
    input.setAttribute("enterkeyhint", "done");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    select.removeAttribute("required");
    var list = document.createElement("ul");
    list.id = id + "-options";
    list.className = "combo-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    if (label) {
      if (!label.id) { label.id = id + "-label"; }
      label.htmlFor = input.id;
      list.setAttribute("aria-labelledby", label.id);
    } else {
      input.setAttribute("aria-label", input.placeholder);
    }
    wrap.appendChild(input);
    wrap.appendChild(list);
    select.parentNode.insertBefore(wrap, select);
    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");

    var options = Array.prototype.filter.call(select.options, function (option) { return option.value; })
      .map(function (option) { return { value: option.value, text: option.text, key: fold(option.text) }; });
    var shown = [];
    var active = -1;

    var selectedText = function () {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    };
    var setActive = function (index, scroll) {
      var items = list.children;
      if (active >= 0 && items[active]) {
        items[active].classList.remove("active");
        items[active].setAttribute("aria-selected", "false");
      }
      active = index < 0 || !shown.length ? -1 : Math.min(index, shown.length - 1);
      if (active >= 0) {
        items[active].classList.add("active");
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
        if (scroll) { items[active].scrollIntoView({ block: "nearest" }); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };
    var render = function (needle) {
      var key = fold(needle);
      if (!key) {
        shown = options.slice();
      } else {
        // Names that start with what was typed first (also after the Arabic article), then words
        // that start with it, then names that merely contain it.
        var ranks = [[], [], []];
        options.forEach(function (option) {
          var rank = -1;
          if (option.value.toLowerCase() === key) { rank = 0; }
          option.key.split(/[\s\-(),]+/).forEach(function (word, index) {
            var bare = word.replace(/^\u0627\u0644/, "");
            if (word.indexOf(key) === 0 || bare.indexOf(key) === 0) {
              var here = index === 0 ? 0 : 1;
              if (rank < 0 || here < rank) { rank = here; }
            }
          });
          if (rank < 0 && option.key.indexOf(key) !== -1) { rank = 2; }
          if (rank >= 0) { ranks[rank].push(option); }
        });
        shown = ranks[0].concat(ranks[1], ranks[2]);
      }
      list.textContent = "";
      active = -1;
      shown.forEach(function (option, index) {
        var item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("data-value", option.value);
        item.setAttribute("aria-selected", "false");
        if (option.value === select.value) { item.className = "is-current"; }
        item.textContent = option.text;
        list.appendChild(item);
      });
      if (!shown.length && noMatches) {
        var empty = document.createElement("li");
        empty.className = "combo-empty";
        empty.setAttribute("aria-disabled", "true");
        empty.textContent = noMatches;
        list.appendChild(empty);
      }
    };
    var open = function (needle) {
      render(needle);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      if (needle) {
        setActive(0, true);
      } else {
        var current = -1;
        shown.forEach(function (option, index) { if (option.value === select.value) { current = index; } });
        setActive(current, true);
        if (current < 0) { list.scrollTop = 0; }
      }
    };
    var close = function () {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    var choose = function (value) {
      var changed = select.value !== value;
      select.value = value;
      input.value = selectedText();
      close();
      if (changed) { select.dispatchEvent(new Event("change", { bubbles: true })); }
    };
    // When leaving the box: keep an exact or single match, empty means none, otherwise undo the typing.
    var settle = function () {
      var key = fold(input.value);
      if (!key) { if (select.value) { choose(""); } close(); return; }
      if (key === fold(selectedText())) { input.value = selectedText(); close(); return; }
      var exact = options.filter(function (option) { return option.key === key || option.value.toLowerCase() === key; });
      var matches = exact.length ? exact : (render(input.value), shown);
      if (matches.length === 1) { choose(matches[0].value); } else { input.value = selectedText(); close(); }
    };

    input.value = selectedText();
    input.addEventListener("input", function () { open(input.value); });
    input.addEventListener("focus", function () {
      // Select what is there so that typing replaces it; on a phone, bring the list into view above the keyboard.
      window.setTimeout(function () { if (document.activeElement === input) { input.select(); } }, 0);
      if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) {
        window.setTimeout(function () { wrap.scrollIntoView({ block: "start", behavior: "smooth" }); }, 300);
      }
    });
    input.addEventListener("click", function () { if (list.hidden) { open(""); } });
    input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (list.hidden) { open(event.altKey ? "" : (fold(input.value) === fold(selectedText()) ? "" : input.value)); }
          else { setActive(active + 1, true); }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!list.hidden) { setActive(Math.max(active - 1, 0), true); }
          break;
        case "PageDown":
          if (!list.hidden) { event.preventDefault(); setActive(active + 8, true); }
          break;
        case "PageUp":
          if (!list.hidden) { event.preventDefault(); setActive(Math.max(active - 8, 0), true); }
          break;
        case "Enter":
          if (!list.hidden) {
            event.preventDefault();
            if (active >= 0) { choose(shown[active].value); } else { settle(); }
          }
          break;
        case "Tab":
          if (!list.hidden && active >= 0 && fold(input.value)) { choose(shown[active].value); }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            input.value = selectedText();
            close();
          }
          break;
      }
    });
    input.addEventListener("blur", function () {
      // A tap on the list keeps the focus (see mousedown below), so a blur means the person left the box.
      window.setTimeout(function () { if (document.activeElement !== input) { settle(); } }, 0);
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var item = event.target.closest("li[data-value]");
      if (item) { choose(item.getAttribute("data-value")); }
    });
    document.addEventListener("pointerdown", function (event) {
      if (!list.hidden && !wrap.contains(event.target)) { settle(); }
    });
    // Someone else (a script, the browser restoring the form) changed the select.
    select.addEventListener("change", function () {
      if (document.activeElement !== input) { input.value = selectedText(); }
    });
  });

  // Official delegations: offer only those of the chosen country (the options carry data-country).
  document.querySelectorAll("select").forEach(function (select) {
    var all = Array.prototype.slice.call(select.options);
    if (!all.some(function (option) { return option.hasAttribute("data-country"); })) { return; }
    var country = select.form && select.form.elements.namedItem("country");
    if (!country || !country.tagName || country.tagName !== "SELECT") { return; }
    var sync = function (initial) {
      var code = country.value;
      var keep = select.value;
      select.textContent = "";
      all.forEach(function (option) {
        var from = option.getAttribute("data-country");
        // On page load the saved choice stays even if it is of another country.
        if (!code || !from || from === code || (initial === true && option.value === keep)) { select.appendChild(option); }
      });
      select.value = keep;
      if (select.value !== keep) { select.value = ""; }
    };
    country.addEventListener("change", sync);
    sync(true);
  });

  // Select-all checkbox for bulk actions in tables; the chosen rows are highlighted,
  // and Shift+click ticks a whole range.
  document.querySelectorAll("input[data-select-all]").forEach(function (master) {
    var name = master.getAttribute("data-select-all");
    var scope = master.form || document;
    var boxes = Array.prototype.slice.call(scope.querySelectorAll("input[type='checkbox'][name='" + name + "']"));
    var last = null;
    var paint = function () {
      var checked = 0;
      boxes.forEach(function (box) {
        var row = box.closest("tr");
        if (row) { row.classList.toggle("is-selected", box.checked); }
        if (box.checked) { checked += 1; }
      });
      master.checked = checked > 0 && checked === boxes.length;
      master.indeterminate = checked > 0 && checked < boxes.length;
    };
    master.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = master.checked; });
      paint();
    });
    boxes.forEach(function (box) {
      box.addEventListener("click", function (event) {
        if (event.shiftKey && last && last !== box) {
          var from = boxes.indexOf(last), to = boxes.indexOf(box);
          boxes.slice(Math.min(from, to), Math.max(from, to) + 1).forEach(function (other) { other.checked = box.checked; });
        }
        last = box;
        paint();
      });
    });
    paint();
  });

  // Show or hide a group of fields depending on a checkbox (e.g. the visa letter details).
  document.querySelectorAll("[data-shown-by]").forEach(function (group) {
    var toggle = document.getElementById(group.getAttribute("data-shown-by"));
    if (!toggle) { return; }
    if (group.id) { toggle.setAttribute("aria-controls", group.id); }
    var sync = function () {
      group.hidden = !toggle.checked;
      toggle.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
    };
    toggle.addEventListener("change", function () {
      sync();
      if (toggle.checked) {
        var rect = group.getBoundingClientRect();
        if (rect.bottom > window.innerHeight) { group.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
      }
    });
    sync();
  });

  // On a phone the conference's sections and pages scroll sideways: bring the current ones into view.
  document.querySelectorAll(".conference-links a[aria-current], .conference-sublinks a[aria-current]")
    .forEach(function (current) {
      var strip = current.parentNode;
      if (strip.scrollWidth > strip.clientWidth) {  // not scrollIntoView: it would scroll the page sideways too
        var box = strip.getBoundingClientRect(), link = current.getBoundingClientRect();
        strip.scrollLeft += (link.left + link.width / 2) - (box.left + box.width / 2);
      }
    });
})();
