// The live board kept current from /live/stream (Server-Sent Events):
// `snapshot` replaces the board, `update` carries the top-level fields that
// changed, `stale` says the feed went quiet, `end` brings the final board.
// It redraws the markup the server rendered (views/live.rs), by id and class.
// With ?delay=N the server holds the board and its events N seconds (to
// match a delayed broadcast); the choice is remembered in localStorage and
// a visit to /live without one goes to the remembered delay.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) return;
  var KEY = "wibm.live.delay";
  var delay = Number(root.getAttribute("data-delay")) || 0;
  try {
    if (/(^|[?&])delay=/.test(location.search)) {
      localStorage.setItem(KEY, String(delay));
    } else {
      var kept = Number(localStorage.getItem(KEY));
      if (kept > 0 && kept <= 300 && kept === Math.floor(kept)) {
        location.replace("/live?delay=" + kept);
        return;
      }
    }
  } catch (err) { /* storage unavailable: the URL alone says the delay */ }
  // A new value in the box takes effect at once (the form's GET, as without scripts).
  var box = document.getElementById("live-delay-input");
  if (box) box.addEventListener("change", function () { if (box.checkValidity()) box.form.submit(); });
  if (!window.EventSource) return;
  var state = null;
  var lastLap = null;
  var TRACK = {
    yellow: "Yellow flag", safety_car: "Safety car", vsc_deployed: "Virtual safety car",
    vsc_ending: "Virtual safety car ending", red: "Red flag"
  };

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function cell(text, cls) { return el("td", cls, text); }
  function isRace(s) { return s.type === "race" || s.type === "sprint"; }
  function validColor(c) { return /^#[0-9a-fA-F]{6}$/.test(c || ""); }

  function row(d, race) {
    var tr = el("tr", d.retired || d.stopped || d.knocked_out ? "out" : "");
    tr.setAttribute("data-car", d.driver_number);
    tr.appendChild(cell(d.position, "n"));
    var who = el("td", "who");
    var bar = el("span", "team");
    bar.setAttribute("aria-hidden", "true");
    if (validColor(d.team_color)) bar.style.setProperty("--c", d.team_color);
    who.appendChild(bar);
    var code = el("abbr", "code", d.driver_code);
    code.title = d.driver_name;
    who.appendChild(code);
    who.appendChild(el("span", "long muted", " " + d.team));
    tr.appendChild(who);
    tr.appendChild(cell(d.position === 1 && race ? "Leader" : d.gap_to_leader, "n"));
    tr.appendChild(cell(d.interval, "n"));
    tr.appendChild(cell(d.last_lap, "n long"));
    tr.appendChild(cell(d.best_lap, "n long"));
    var tyre = el("td", "tyres");
    if (d.tyre) {
      var t = el("span", "tyre t-" + d.tyre.toLowerCase(), d.tyre.charAt(0));
      t.title = d.tyre;
      tyre.appendChild(t);
      tyre.appendChild(document.createTextNode(" " + d.tyre_age));
    }
    tr.appendChild(tyre);
    var pits = el("td", "n", d.pit_count);
    if (d.in_pit) { pits.appendChild(document.createTextNode(" ")); pits.appendChild(el("span", "pill pit", "PIT")); }
    if (d.retired || d.stopped) {
      pits.appendChild(document.createTextNode(" "));
      pits.appendChild(el("span", "pill out", d.retired ? "OUT" : "STOPPED"));
    }
    tr.appendChild(pits);
    return tr;
  }

  function weather(w) {
    var p = $("live-weather-text");
    if (!p) return;
    if (!w) { p.className = "muted"; p.textContent = "No weather data."; return; }
    p.className = "";
    p.textContent = "Air " + w.air_temp.toFixed(1) + " °C · track " + w.track_temp.toFixed(1) + " °C · humidity " +
      w.humidity.toFixed(0) + " % · wind " + w.wind_speed.toFixed(1) + " m/s" + (w.rainfall ? " · rain" : "");
  }

  function raceControl(messages) {
    var ol = $("live-rc");
    if (!ol) return;
    ol.textContent = "";
    messages.slice(-12).reverse().forEach(function (m) {
      var li = el("li");
      if (m.lap > 0) li.appendChild(el("span", "muted", "Lap " + m.lap + " · "));
      li.appendChild(document.createTextNode(m.message));
      ol.appendChild(li);
    });
  }

  function draw() {
    var s = state;
    $("live-none").hidden = !!s;
    $("live-body").hidden = !s;
    if (!s) return;
    var live = s.status === "live";
    $("live-next").hidden = live;
    $("live-title").textContent =
      s.season + " " + (s.meeting_name ? s.meeting_name + " · " : "") + (s.session_name || s.type);
    var pill = el("span", "pill " + s.status, live ? "Live" : s.status === "finished" ? "Finished" : "Scheduled");
    $("live-status").textContent = "";
    $("live-status").appendChild(pill);
    $("live-lap").textContent = s.total_laps > 0 ? "Lap " + s.current_lap + " of " + s.total_laps : "";
    var clock = $("live-clock");
    clock.setAttribute("data-remaining", s.clock_remaining);
    clock.setAttribute("data-at", s.clock_at);
    clock.setAttribute("data-running", live && s.clock_running ? "1" : "0");
    var track = $("live-track");
    var label = TRACK[s.track_status];
    track.hidden = !label;
    track.className = "banner track " + s.track_status;
    track.textContent = label ? label + (s.track_status_message ? " · " + s.track_status_message : "") : "";
    var body = document.querySelector("#leaderboard tbody");
    body.textContent = "";
    var race = isRace(s);
    $("live-gap-head").textContent = race ? "Gap" : "Best gap";
    s.leaderboard.forEach(function (d) { body.appendChild(row(d, race)); });
    weather(s.weather);
    raceControl(s.race_control || []);
    trends();
    tick();
    if (race && live && s.current_lap !== lastLap) { lastLap = s.current_lap; refreshFight(); }
  }

  // The "as it stands" card is computed by the server: fetched again when the lap changes.
  var fetching = false;
  function refreshFight() {
    if (fetching || !window.fetch) return;
    fetching = true;
    fetch(root.getAttribute("data-fight") || "/live/fight", { headers: { accept: "text/html" } }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html !== null) $("live-fight").innerHTML = html;
    }).catch(function () {}).then(function () { fetching = false; });
  }

  // The session clock runs down from `remaining` at `at` while it runs
  // (`at` is when the feed said so; a delayed board shows it `delay` later).
  function tick() {
    var clock = $("live-clock");
    if (!clock) return;
    var text = clock.getAttribute("data-remaining") || "";
    var parts = text.split(":").map(Number);
    if (parts.length !== 3 || parts.some(isNaN)) { clock.textContent = text; return; }
    var left = parts[0] * 3600 + parts[1] * 60 + parts[2];
    if (clock.getAttribute("data-running") === "1") {
      left -= Math.max(0, Math.floor(Date.now() / 1000) - delay - Number(clock.getAttribute("data-at")));
    }
    left = Math.max(0, left);
    var m = Math.floor(left % 3600 / 60), sec = left % 60;
    clock.textContent = Math.floor(left / 3600) + ":" + (m < 10 ? "0" : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
  }

  // The track map, lap and tyre charts (and the trends the rows carry) are
  // drawn by the server: /live/charts is fetched again every CHARTS_MS
  // while the session runs.
  var CHARTS_MS = 5000;
  var plus = $("live-plus");
  function trends() {
    var list = $("live-trends");
    if (!list) return;
    document.querySelectorAll("#leaderboard tbody tr[data-car]").forEach(function (tr) {
      var li = list.querySelector('li[data-car="' + tr.getAttribute("data-car") + '"]');
      if (!li) return;
      [["gap", 2], ["int", 3]].forEach(function (k) {
        var from = li.querySelector('[data-for="' + k[0] + '"] .trend'), td = tr.children[k[1]];
        if (from && td && !td.querySelector(".trend")) td.appendChild(from.cloneNode(true));
      });
    });
  }
  var chartsBusy = false;
  function refreshCharts() {
    if (chartsBusy || !plus || !window.fetch || !state || state.status !== "live") return;
    chartsBusy = true;
    fetch(plus.getAttribute("data-src"), { headers: { accept: "text/html" } }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html !== null) {
        plus.innerHTML = html;
        document.querySelectorAll("#leaderboard .trend").forEach(function (t) { t.remove(); });
        trends();
      }
    }).catch(function () {}).then(function () { chartsBusy = false; });
  }
  setInterval(refreshCharts, CHARTS_MS);

  function parse(e) { try { return JSON.parse(e.data); } catch (err) { return null; } }

  var source = new EventSource(root.getAttribute("data-stream"));
  function whole(e) {
    var data = parse(e);
    if (!data) return;
    state = data.state;
    $("live-stale").hidden = true;
    draw();
  }
  source.addEventListener("snapshot", whole);
  source.addEventListener("end", whole);
  source.addEventListener("update", function (e) {
    var changed = parse(e);
    if (!changed || !state) return;
    Object.keys(changed).forEach(function (k) { if (k !== "sent_at_ms") state[k] = changed[k]; });
    $("live-stale").hidden = true;
    draw();
  });
  source.addEventListener("stale", function () { $("live-stale").hidden = false; });
  root.setAttribute("data-following", "1");
  setInterval(tick, 1000);
})();
