#!/usr/bin/env python3
"""Extracts what championship/tests need from an f1db data tree (src/data of
github.com/f1db/f1db; data CC BY 4.0) into f1db-seasons.txt.

Usage: extract.py /path/to/f1db/data > f1db-seasons.txt

Lines (tab-separated; ids are indices into the preceding `I` lines):
  I  id                                     an id (driver, constructor or engine)
  G  year round grand-prix drivers-decider constructors-decider
  R  year round kind position shared driver constructor engine points fastest-lap
     (kind: race or sprint; position 0 = not classified; only rows with a
     numeric position or points)
  D  year position driver points            final driver standings
  C  year position constructor engine points final constructor standings
"""
import os
import sys

import yaml

ids = {}


def i(name):
    if name not in ids:
        ids[name] = len(ids)
        print(f"I\t{name}")
    return ids[name]


def load(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return yaml.safe_load(f) or []


def num(p):
    return p if isinstance(p, int) else 0


def pts(p):
    return "0" if p is None else f"{p:g}"


def main(root):
    seasons = os.path.join(root, "seasons")
    for year in sorted(int(y) for y in os.listdir(seasons)):
        sdir = os.path.join(seasons, str(year))
        races = sorted(os.listdir(os.path.join(sdir, "races")))
        for race in races:
            rdir = os.path.join(sdir, "races", race)
            info = load(os.path.join(rdir, "race.yml"))
            rnd = info["round"]
            dd = int(bool(info.get("driversChampionshipDecider")))
            cd = int(bool(info.get("constructorsChampionshipDecider")))
            print(f"G\t{year}\t{rnd}\t{info['grandPrixId']}\t{dd}\t{cd}")
            fastest = {r["driverId"] for r in load(os.path.join(rdir, "fastest-laps.yml")) if r["position"] == 1}
            for kind, file in (("sprint", "sprint-race-results.yml"), ("race", "race-results.yml")):
                for r in load(os.path.join(rdir, file)):
                    p = num(r["position"])
                    if p == 0 and not r.get("points"):
                        continue
                    fl = int(kind == "race" and r["driverId"] in fastest)
                    shared = int(bool(r.get("sharedCar")))
                    d, c, e = i(r["driverId"]), i(r["constructorId"]), i(r["engineManufacturerId"])
                    print(f"R\t{year}\t{rnd}\t{kind}\t{p}\t{shared}\t{d}\t{c}\t{e}\t{pts(r.get('points'))}\t{fl}")
        for r in load(os.path.join(sdir, "driver-standings.yml")):
            d = i(r["driverId"])
            print(f"D\t{year}\t{num(r['position'])}\t{d}\t{pts(r.get('points'))}")
        for r in load(os.path.join(sdir, "constructor-standings.yml")):
            c, e = i(r["constructorId"]), i(r["engineManufacturerId"])
            print(f"C\t{year}\t{num(r['position'])}\t{c}\t{e}\t{pts(r.get('points'))}")


if __name__ == "__main__":
    main(sys.argv[1])
