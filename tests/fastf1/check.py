"""FastF1, a real Ergast client, against our /ergast/f1.

Run by content_api/tests/it/fastf1.rs, which starts a stack (f1db's 2010
and 2021-2023 seasons, and recorded Jolpica lap 1 answers synced for a few
races) and installs FastF1 from PyPI into a venv:

    python check.py BASE_URL YEAR/ROUND=RECORDED_LAPS_1_JSON ... calendar/YEAR=RECORDED_CALENDAR_JSON ...

FastF1 parses our answers into pandas; every check compares what it parsed
with what the same stack answers in /content/v1 (our own format), with the
recorded Jolpica lap 1 answers, or with f1db facts noted where they are
used. Prints `ok <check>` per check and exits 1 at the first difference.

No request may leave the machine: every name but the stack's host is
refused at the socket, and FastF1's other base URLs (the F1 live timing API
and its mirror) point at a path of the stack that answers 404.
"""

import datetime
import json
import socket
import sys
import urllib.request

BASE = sys.argv[1].rstrip("/")
HOST = BASE.split("//", 1)[1].split(":", 1)[0]
ARGS = dict(a.split("=", 1) for a in sys.argv[2:])
LAPS = {k: v for k, v in ARGS.items() if not k.startswith("calendar/")}
# Recorded Jolpica calendars: the race and circuit names are Ergast's words
# in /ergast/f1 (f1db's in /content/v1), so they are checked against these.
CALENDARS = {int(k.split("/")[1]): v for k, v in ARGS.items() if k.startswith("calendar/")}

refused = []
_getaddrinfo = socket.getaddrinfo


def _local_only(host, *args, **kwargs):
    if host not in (HOST, "localhost"):
        refused.append(host)
        raise OSError(f"check.py: no internet ({host} refused)")
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _local_only

import fastf1  # noqa: E402
import fastf1._api  # noqa: E402
import fastf1.ergast.interface  # noqa: E402
import fastf1.ergast.legacy  # noqa: E402
import pandas as pd  # noqa: E402

fastf1.Cache.set_disabled()
fastf1.ergast.interface.BASE_URL = f"{BASE}/ergast/f1"
if hasattr(fastf1.ergast.legacy, "base_url"):
    fastf1.ergast.legacy.base_url = f"{BASE}/ergast/f1"
fastf1._api.base_url = f"{BASE}/no-livetiming"
fastf1._api.base_url_mirror = f"{BASE}/no-livetiming"

ergast = fastf1.ergast.Ergast(result_type="pandas", auto_cast=True)


class Mismatch(Exception):
    pass


def expect(what, ours, theirs):
    if ours != theirs:
        raise Mismatch(f"{what}: FastF1 read {ours!r}, expected {theirs!r}")


def content(path):
    with urllib.request.urlopen(f"{BASE}/content/v1/{path}", timeout=30) as r:
        return json.load(r)["result"]


def lap_time(text):
    """`1:29.708`, `34:07.731`, `25.885` or `1:31:44.742` as a Timedelta
    (in whole milliseconds, as Ergast's times are)."""
    if not text:
        return pd.NaT
    parts = text.split(":")
    seconds, _, fraction = parts[-1].partition(".")
    millis = int(seconds) * 1000 + int(fraction.ljust(3, "0")[:3])
    for i, p in enumerate(reversed(parts[:-1])):
        millis += int(p) * 60 ** (i + 1) * 1000
    return pd.Timedelta(milliseconds=millis)


def same_driver(what, row, name):
    """Ergast splits the name we keep whole (`Carlos Sainz Jr.`); f1db
    capitalises a particle in one and not the other (`De la Rosa`)."""
    if row["familyName"].lower() not in name.lower() or row["givenName"].lower() not in name.lower():
        raise Mismatch(f"{what}: FastF1 read {row['givenName']} {row['familyName']}, expected {name}")


def session(year, rnd, kind):
    return content(f"seasons/{year}/rounds/{rnd}/sessions/{kind}")["results"]


def check_schedule(year):
    frame = ergast.get_race_schedule(year)
    rounds = content(f"seasons/{year}/rounds")["rounds"]
    expect(f"{year} races", len(frame), len(rounds))
    recorded = None
    if year in CALENDARS:
        with open(CALENDARS[year]) as f:
            recorded = json.load(f)["MRData"]["RaceTable"]["Races"]
        expect(f"{year} races (recorded calendar)", len(frame), len(recorded))
    for i, ((_, row), ours) in enumerate(zip(frame.iterrows(), rounds)):
        expect(f"{year} round", int(row["round"]), ours["round_id"])
        if recorded is not None:
            expect(f"{year} round {ours['round_id']} name", row["raceName"], recorded[i]["raceName"])
            expect(f"{year} round {ours['round_id']} circuit", row["circuitName"], recorded[i]["Circuit"]["circuitName"])
        race = next(s for s in ours["sessions"] if s["type"] == "race")
        # f1db dates the 2021 Turkish GP a week early; Ergast has its day.
        date = recorded[i]["date"] if recorded is not None else race["date"]
        expect(f"{year} round {ours['round_id']} date", row["raceDate"].strftime("%Y-%m-%d"), date)


def check_results(year, rnd):
    frame = ergast.get_race_results(year, rnd).content[0]
    rows = session(year, rnd, "race")
    expect(f"{year}/{rnd} result rows", len(frame), len(rows))
    for (_, row), ours in zip(frame.iterrows(), rows):
        what = f"{year}/{rnd} P{ours['position']}"
        same_driver(what, row, ours["driver_name"])
        expect(f"{what} position", int(row["position"]), ours["position"])
        expect(f"{what} number", int(row["number"]), ours["driver_number"])
        expect(f"{what} points", float(row["points"]), ours["points"])
        expect(f"{what} grid", int(row["grid"]), ours["grid"])
        expect(f"{what} laps", int(row["laps"]), ours["laps"])
    winner = frame.iloc[0]
    expect(f"{year}/{rnd} winner's time", winner["totalRaceTime"], lap_time(rows[0]["time"]))


def check_qualifying(year, rnd):
    frame = ergast.get_qualifying_results(year, rnd).content[0]
    rows = session(year, rnd, "qualifying")
    expect(f"{year}/{rnd} qualifying rows", len(frame), len(rows))
    for (_, row), ours in zip(frame.iterrows(), rows):
        what = f"{year}/{rnd} qualifying P{ours['position']}"
        same_driver(what, row, ours["driver_name"])
        expect(f"{what} position", int(row["position"]), ours["position"])
        for part in ("q1", "q2", "q3"):
            theirs = row.get(part.upper(), pd.NaT)
            theirs = None if pd.isna(theirs) else theirs
            ours_time = lap_time(ours[part])
            expect(f"{what} {part}", theirs, None if pd.isna(ours_time) else ours_time)


def check_sprint(year, rnd):
    frame = ergast.get_sprint_results(year, rnd).content[0]
    rows = session(year, rnd, "sprint")
    expect(f"{year}/{rnd} sprint rows", len(frame), len(rows))
    for (_, row), ours in zip(frame.iterrows(), rows):
        what = f"{year}/{rnd} sprint P{ours['position']}"
        same_driver(what, row, ours["driver_name"])
        expect(f"{what} points", float(row["points"]), ours["points"])
        expect(f"{what} grid", int(row["grid"]), ours["grid"])


def check_driver_standings(year):
    frame = ergast.get_driver_standings(year).content[0]
    ours = content(f"seasons/{year}/drivers")["standings"]
    expect(f"{year} driver standings rows", len(frame), len(ours))
    for (_, row), s in zip(frame.iterrows(), ours):
        what = f"{year} driver standing {s['position']}"
        same_driver(what, row, s["driver_name"])
        expect(f"{what} points", float(row["points"]), s["points"])
        expect(f"{what} wins", int(row["wins"]), s["wins"])


def check_constructor_standings(year):
    frame = ergast.get_constructor_standings(year).content[0]
    ours = content(f"seasons/{year}/constructors")["standings"]
    expect(f"{year} constructor standings rows", len(frame), len(ours))
    for (_, row), s in zip(frame.iterrows(), ours):
        what = f"{year} constructor standing {s['position']}"
        # Ergast's team names differ from f1db's by design (`Lotus` and
        # `Lotus Racing`, `Haas F1 Team` and `Haas`): they share a word.
        words = lambda n: set(n.lower().split())
        if not words(row["constructorName"]) & words(s["name"]):
            raise Mismatch(f"{what} name: FastF1 read {row['constructorName']!r}, expected a name like {s['name']!r}")
        expect(f"{what} points", float(row["points"]), s["points"])
        expect(f"{what} wins", int(row["wins"]), s["wins"])


def check_lap_one(race, recorded_path):
    year, rnd = race.split("/")
    frame = ergast.get_lap_times(int(year), int(rnd), lap_number=1, limit=100).content[0]
    with open(recorded_path) as f:
        recorded = json.load(f)["MRData"]["RaceTable"]["Races"][0]["Laps"][0]["Timings"]
    expect(f"{race} lap 1 timings", len(frame), len(recorded))
    for (_, row), t in zip(frame.iterrows(), recorded):
        what = f"{race} lap 1 P{t['position']}"
        expect(f"{what} driver", row["driverId"], t["driverId"])
        expect(f"{what} position", int(row["position"]), int(t["position"]))
        expect(f"{what} time", row["time"], lap_time(t["time"]))


# f1db's pit-stops.yml of each race: the number of stops and the first one
# (Ergast driver id, stop, lap, duration); 2021/10 is the red-flag wait.
PIT_STOPS = {
    (2021, 10): (41, ("leclerc", 1, 2, "34:07.731")),
    (2022, 1): (58, ("hamilton", 1, 11, "25.201")),
    (2023, 1): (50, ("gasly", 1, 9, "25.885")),
}


def check_pit_stops(year, rnd):
    count, (driver, stop, lap, duration) = PIT_STOPS[(year, rnd)]
    reply = ergast.get_pit_stops(year, rnd, limit=100)
    frame = reply.content[0]
    expect(f"{year}/{rnd} pit stops", len(frame), count)
    mine = frame[(frame["driverId"] == driver) & (frame["stop"] == stop)]
    expect(f"{year}/{rnd} {driver}'s stop {stop}", len(mine), 1)
    expect(f"{year}/{rnd} {driver}'s stop {stop} lap", int(mine.iloc[0]["lap"]), lap)
    expect(f"{year}/{rnd} {driver}'s stop {stop} duration", mine.iloc[0]["duration"], lap_time(duration))


def check_session(year, rnd):
    """A pre-2018 race: FastF1 reads its schedule and results from Ergast
    only (the live timing API has nothing before 2018)."""
    s = fastf1.get_session(year, rnd, "R")
    s.load(laps=False, telemetry=False, weather=False, messages=False)
    ours = content(f"seasons/{year}/rounds/{rnd}")
    expect(f"{year}/{rnd} event", s.event["EventName"], ours["name"])
    rows = session(year, rnd, "race")
    results = s.results
    expect(f"{year}/{rnd} session results", len(results), len(rows))
    for (_, row), r in zip(results.iterrows(), rows):
        what = f"{year}/{rnd} session P{r['position']}"
        if row["LastName"].lower() not in r["driver_name"].lower():
            raise Mismatch(f"{what}: FastF1 read {row['FullName']}, expected {r['driver_name']}")
        expect(f"{what} points", float(row["Points"]), r["points"])
        expect(f"{what} grid", int(row["GridPosition"]), r["grid"])
        expect(f"{what} number", int(row["DriverNumber"]), r["driver_number"])


CHECKS = [
    ("schedule", lambda: [check_schedule(y) for y in (2010, 2021, 2022, 2023)]),
    ("results", lambda: [check_results(y, r) for y, r in ((2010, 1), (2021, 10), (2022, 1), (2023, 1), (2023, 5))]),
    ("qualifying", lambda: [check_qualifying(y, r) for y, r in ((2021, 10), (2022, 2), (2023, 1))]),
    ("sprint", lambda: [check_sprint(y, r) for y, r in ((2021, 10), (2022, 4), (2023, 4))]),
    ("driver standings", lambda: [check_driver_standings(y) for y in (2010, 2021, 2022, 2023)]),
    ("constructor standings", lambda: [check_constructor_standings(y) for y in (2010, 2021, 2022, 2023)]),
    ("lap 1", lambda: [check_lap_one(race, path) for race, path in sorted(LAPS.items())]),
    ("pit stops", lambda: [check_pit_stops(y, r) for y, r in sorted(PIT_STOPS)]),
    ("get_session 2010", lambda: check_session(2010, 1)),
]


def main():
    print(f"FastF1 {fastf1.__version__} against {BASE}/ergast/f1", flush=True)
    for name, check in CHECKS:
        try:
            check()
        except Mismatch as e:
            print(f"FAILED {name}: {e}", flush=True)
            return 1
        print(f"ok {name}", flush=True)
    if refused:
        print(f"FAILED: FastF1 tried to reach {sorted(set(refused))}", flush=True)
        return 1
    print(f"FASTF1 CHECKS PASSED at {datetime.datetime.now(datetime.timezone.utc):%H:%M:%S}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
