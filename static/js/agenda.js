// The agenda's progressive enhancements: stars without a page reload, times in the reader's zone, track colours.
(function () {
  "use strict";

  // Track colours come from data attributes (the CSP forbids inline styles; CSSOM is allowed).
  document.querySelectorAll("[data-colour]").forEach(function (dot) {
    var colour = dot.getAttribute("data-colour");
    if (/^#[0-9a-fA-F]{6}$/.test(colour)) { dot.style.backgroundColor = colour; }
  });

  // Shared pages carry the same star link for everyone; a signed-in reader's stars arrive in one small request
  // and turn each link into this reader's button (without JavaScript the link opens a page with the button).
  var starForm = function (link, on, token) {
    var form = document.createElement("form");
    form.className = "star-form inline";
    form.method = "post";
    form.setAttribute("action", link.getAttribute("data-action"));
    [["csrf_token", token], ["next", link.getAttribute("data-next")], ["starred", on ? "0" : "1"]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    var label = link.getAttribute(on ? "data-label-on" : "data-label-off");
    var button = document.createElement("button");
    button.type = "submit";
    button.className = on ? "star on" : "star";
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.setAttribute("data-label-on", link.getAttribute("data-label-on"));
    button.setAttribute("data-label-off", link.getAttribute("data-label-off"));
    button.title = label;
    var mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = on ? "\u2605" : "\u2606";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = label + ": " + link.getAttribute("data-title");
    button.appendChild(mark);
    button.appendChild(hidden);
    form.appendChild(button);
    link.replaceWith(form);
  };
  var links = document.querySelectorAll("a.star-link");
  if (links.length && document.body.hasAttribute("data-signed-in")) {
    fetch(links[0].getAttribute("data-stars"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (answer) {
        var starred = {};
        answer.starred.forEach(function (id) { starred[String(id)] = true; });
        links.forEach(function (link) {
          starForm(link, starred[link.getAttribute("data-session")] === true, answer.csrf_token);
        });
      }).catch(function () { /* the links still work */ });
  }

  // Stars: post the same form in the background and flip every button of that session.
  var csrf = function (form) { return form.querySelector("input[name=csrf_token]").value; };
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("star-form")) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrf(form)}
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (answer) {
      document.querySelectorAll("form.star-form[action='" + form.getAttribute("action") + "']").forEach(function (other) {
        var b = other.querySelector("button");
        var label = answer.starred ? b.getAttribute("data-label-on") : b.getAttribute("data-label-off");
        other.querySelector("input[name=starred]").value = answer.starred ? "0" : "1";
        b.classList.toggle("on", answer.starred);
        b.setAttribute("aria-pressed", answer.starred ? "true" : "false");
        b.title = label;
        b.querySelector("[aria-hidden]").textContent = answer.starred ? "\u2605" : "\u2606";
        var hidden = b.querySelector(".visually-hidden");
        hidden.textContent = label + hidden.textContent.slice(hidden.textContent.indexOf(":"));
      });
    }).catch(function () {
      form.submit();  // fall back to the ordinary post, which shows the outcome
    }).finally(function () { button.disabled = false; });
  });

  // Times in the reader's own zone, on request; the conference's zone stays the default.
  var toggle = document.querySelector(".local-times");
  var readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (toggle && readerZone) {
    var times = document.querySelectorAll("time[data-utc]");
    var original = [];
    times.forEach(function (t, i) { original[i] = t.textContent; });
    var lang = document.documentElement.lang || "en";
    var format = new Intl.DateTimeFormat(lang, {hour: "2-digit", minute: "2-digit", timeZone: readerZone});
    var note = toggle.previousElementSibling;
    var noteText = note.textContent;
    var showLabel = toggle.textContent;
    var local = false;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      local = !local;
      times.forEach(function (t, i) {
        t.textContent = local ? format.format(new Date(t.getAttribute("data-utc"))) : original[i];
      });
      note.textContent = local ? toggle.getAttribute("data-zone-label").replace("ZONE", readerZone) : noteText;
      toggle.textContent = local ? toggle.getAttribute("data-label-back") : showLabel;
    });
  }
})();

// Long lists of people (speakers, moderators): a box above the list hides the names that do not match.
(function () {
  "use strict";
  var fold = function (s) {
    return (s || "").normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627").toLowerCase();
  };
  document.querySelectorAll("select[multiple][data-filter]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "list-filter";
    box.placeholder = select.getAttribute("data-filter");
    box.setAttribute("aria-label", select.getAttribute("data-filter"));
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = wanted !== "" && !option.selected && fold(option.text).indexOf(wanted) === -1;
      });
    });
  });
})();
