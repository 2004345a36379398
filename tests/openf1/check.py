"""A real OpenF1 client (openf1-python-client, from PyPI) against /openf1/v1.

Usage: check.py BASE_URL EXPECTED_JSON

BASE_URL is content_api's `/openf1/v1`; EXPECTED_JSON is what the Rust test
read from the recordings itself: {"session_key", "laps": {car: n},
"stints": {car: n}, "pit": {car: n}, "race_control": n, "weather_session_key",
"weather": n}. Each check reads through the client's typed models and
compares with the recording's counts and with the API's own JSON (read
with urllib), printing `ok <check>`; any mismatch raises.
"""

import json
import sys
import urllib.request
from collections import Counter

from openf1_client import OpenF1Client


def raw(base, endpoint, query):
    with urllib.request.urlopen(f"{base}/{endpoint}?{query}", timeout=30) as r:
        return json.load(r)


def per_car(rows):
    return {str(k): v for k, v in sorted(Counter(r.driver_number for r in rows).items())}


def same(name, got, want):
    if got != want:
        raise AssertionError(f"{name}: the client read {got!r}, expected {want!r}")


def main():
    base, expected = sys.argv[1], json.loads(sys.argv[2])
    key = expected["session_key"]
    client = OpenF1Client(base_url=base, max_retries=0)

    laps = client.laps.list(session_key=key)
    same("laps per car", per_car(laps), expected["laps"])
    api = raw(base, "laps", f"session_key={key}")
    same("laps as the API answers", [l.model_dump(mode="json")["lap_number"] for l in laps], [l["lap_number"] for l in api])
    window = client.laps.list(session_key=key, driver_number=44, lap_number={">=": 10, "<=": 20})
    same("laps 10-20 of car 44", [l.lap_number for l in window], list(range(10, 21)))
    durations = {(l["driver_number"], l["lap_number"]): l["lap_duration"] for l in api}
    for lap in window:
        same(f"lap {lap.lap_number} duration", lap.lap_duration, durations[(44, lap.lap_number)])
    print("ok laps")

    stints = client.stints.list(session_key=key)
    same("stints per car", per_car(stints), expected["stints"])
    same("stint compounds", [s.compound for s in stints], [s["compound"] for s in raw(base, "stints", f"session_key={key}")])
    print("ok stints")

    pit = client.pit.list(session_key=key)
    same("pit stops per car", per_car(pit), expected["pit"])
    same("pit durations", [p.pit_duration for p in pit], [p["pit_duration"] for p in raw(base, "pit", f"session_key={key}")])
    print("ok pit")

    messages = client.race_control.list(session_key=key)
    same("race control messages", len(messages), expected["race_control"])
    same("race control text", [m.message for m in messages], [m["message"] for m in raw(base, "race_control", f"session_key={key}")])
    print("ok race_control")

    wkey = expected["weather_session_key"]
    weather = client.weather.list(session_key=wkey)
    same("weather samples", len(weather), expected["weather"])
    same("air temperatures", [w.air_temperature for w in weather], [w["air_temperature"] for w in raw(base, "weather", f"session_key={wkey}")])
    print("ok weather")

    latest = client.sessions.list(session_key="latest")
    same("latest session", [s.session_key for s in latest], [wkey])
    print("ok sessions")
    print("OPENF1 CLIENT CHECKS PASSED")


if __name__ == "__main__":
    main()
