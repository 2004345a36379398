// Small enhancements only: the pages are complete without this script.
// Local times, countdowns and keyboard-friendly tabs.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // One shape everywhere, the server's: "Sun 6 Dec, 14:00 CET", 24-hour,
  // in the viewer's time zone (the server writes UTC and says so).
  var fmt = new Intl.DateTimeFormat("en-GB", {
    weekday: "short", day: "numeric", month: "short",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
  });

  function label(d) {
    var p = {};
    fmt.formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    return p.weekday + " " + p.day + " " + p.month + ", " + p.hour + ":" + p.minute + " " + p.timeZoneName;
  }

  function localTimes() {
    document.querySelectorAll("time[data-local]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) { t.textContent = label(d); t.title = "Your local time"; }
    });
  }

  function pad(n) { return n < 10 ? "0" + n : "" + n; }

  function countdowns() {
    var els = document.querySelectorAll("[data-countdown]");
    if (!els.length) return;
    function tick() {
      var now = Date.now();
      els.forEach(function (el) {
        var left = Math.floor((Date.parse(el.getAttribute("data-countdown")) - now) / 1000);
        if (isNaN(left)) return;
        if (left <= 0) { el.textContent = "Starting now"; return; }
        var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600),
            m = Math.floor(left % 3600 / 60), s = left % 60;
        el.textContent = (d ? d + "d " : "") + pad(h) + "h " + pad(m) + "m " + pad(s) + "s";
      });
    }
    tick();
    setInterval(tick, 1000);
  }

  function tabs() {
    document.querySelectorAll("[data-tabs]").forEach(function (box) {
      var list = box.querySelector("[role=tablist]");
      var buttons = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
      function select(btn, focus, remember) {
        buttons.forEach(function (b) {
          var on = b === btn;
          b.setAttribute("aria-selected", on ? "true" : "false");
          b.tabIndex = on ? 0 : -1;
          document.getElementById(b.getAttribute("aria-controls")).hidden = !on;
        });
        if (focus) btn.focus();
        // Keep the selected tab in view when the list scrolls sideways (a
        // phone), without moving the page.
        list.scrollLeft = Math.max(0, btn.offsetLeft - list.offsetLeft - (list.clientWidth - btn.offsetWidth) / 2);
        if (remember && history.replaceState) history.replaceState(null, "", "#" + btn.getAttribute("aria-controls"));
      }
      buttons.forEach(function (b, i) {
        b.addEventListener("click", function () { select(b, false, true); });
        b.addEventListener("keydown", function (e) {
          var n = buttons.length, j = null;
          if (e.key === "ArrowRight") j = (i + 1) % n;
          else if (e.key === "ArrowLeft") j = (i - 1 + n) % n;
          else if (e.key === "Home") j = 0;
          else if (e.key === "End") j = n - 1;
          if (j !== null) { e.preventDefault(); select(buttons[j], true, true); }
        });
      });
      var wanted = location.hash.slice(1);
      var start = buttons.filter(function (b) { return b.getAttribute("aria-controls") === wanted; })[0] ||
        buttons.filter(function (b) { return b.getAttribute("aria-selected") === "true"; })[0] || buttons[0];
      select(start, false, false);
    });
  }

  // The menu's Live link gets a marker while a session runs.
  function onAir() {
    var link = document.querySelector("header.top nav a[href='/live']");
    if (!link || !window.fetch) return;
    fetch("/live/now").then(function (r) {
      if (r.status === 200) {
        link.classList.add("on-air");
        return r.text().then(function (name) { link.title = name ? name + " is live" : "Live now"; });
      }
    }).catch(function () {});
  }

  function ready() { localTimes(); countdowns(); tabs(); onAir(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
