// The venue screen: a clock in the conference's time zone, and the board fetched again every few seconds and
// swapped in place (no reload, so no flash). When the network is down the last board stays, with a quiet mark.
(function () {
  "use strict";

  var screen = document.getElementById("screen");
  if (!screen) { return; }
  var board = document.getElementById("screen-board");
  var clock = document.getElementById("screen-clock");
  var stale = document.getElementById("screen-stale");
  var source = screen.getAttribute("data-board");
  var every = Math.max(1, parseInt(screen.getAttribute("data-refresh"), 10) || 30) * 1000;
  var format = null;
  try {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone: screen.getAttribute("data-timezone"), hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
  } catch (error) { format = null; }  // an unknown zone: the server's time stays, updated with each board

  // The server's clock, not the display's: a lobby screen's own clock is often wrong.
  var offset = 0;
  var synchronise = function (iso) {
    var server = Date.parse(iso || "");
    if (!isNaN(server)) { offset = server - Date.now(); }
  };
  var clockText = function (moment) { return format ? format.format(moment) : ""; };
  var tick = function () {
    var text = clockText(new Date(Date.now() + offset));
    if (text && clock.textContent !== text) { clock.textContent = text; }
  };

  var lastBoard = null;  // the last fragment received, so an unchanged board is not touched at all
  var lastSuccess = Date.now();
  var markStale = function () {
    var text = clockText(new Date(lastSuccess + offset));
    stale.querySelectorAll(".stale-time").forEach(function (node) { node.textContent = text; });
    stale.hidden = false;
  };
  var refresh = function () {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, Math.min(every, 10000)) : null;
    fetch(source, {cache: "no-store", credentials: "same-origin", signal: controller ? controller.signal : undefined})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        synchronise(response.headers.get("X-Screen-Now"));
        return response.text();
      })
      .then(function (html) {
        if (html !== lastBoard) {
          board.innerHTML = html;
          lastBoard = html;
        }
        lastSuccess = Date.now();
        stale.hidden = true;
        tick();
      })
      .catch(markStale)
      .finally(function () {
        if (timer) { clearTimeout(timer); }
        setTimeout(refresh, every);
      });
  };

  synchronise(screen.getAttribute("data-now"));
  lastSuccess = Date.now();  // the board in the page is the server's at data-now: a stale mark shows that time
  tick();
  setInterval(tick, 1000);
  setTimeout(refresh, every);
})();
