#!/usr/bin/env python3
"""A LiveTiming archive of a whole season for the season-sync benchmark.

The machine has no route to livetiming.formula1.com and the recordings hold
at most one timed race per season, so this serves a season's real
`Index.json` (every meeting and session of it, with their real keys, paths
and dates) and, under each session's path, the streams of one recorded
session of the same kind from `fetcher_service/testdata/livetiming`:

    Race             -> 2018 Baku race
    Sprint           -> 2023 Baku sprint
    Sprint Shootout  -> 2023 Baku sprint shootout
    Qualifying       -> 2019 Monza qualifying
    Practice N       -> 2021 Monza practice 2

Each session's `SessionInfo.jsonStream` is rewritten from its Index.json
entry (meeting, key, type, name, dates, path), so every session is stored
under its own keys, as the real archive's would be. The timing inside is the
recorded session's: this measures the sync path's own cost over a season's
count of sessions and requests, not the archive's real content or the
network to it.

Usage: season-archive.py PORT YEAR  (run from the repository's root)
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

ROOT = Path("fetcher_service/testdata/livetiming/static")
RECORDED = {
    "Race": "2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race/",
    "Sprint": "2023/2023-04-30_Azerbaijan_Grand_Prix/2023-04-29_Sprint/",
    "Sprint Shootout": "2023/2023-04-30_Azerbaijan_Grand_Prix/2023-04-29_Sprint_Shootout/",
    "Qualifying": "2019/2019-09-08_Italian_Grand_Prix/2019-09-07_Qualifying/",
    "Practice": "2021/2021-09-12_Italian_Grand_Prix/2021-09-11_Practice_2/",
}


def kind_of(session):
    name = session.get("Name", "")
    if name in ("Sprint", "Sprint Shootout", "Race", "Qualifying"):
        return name
    if name == "Sprint Qualifying":
        return "Sprint Shootout"
    if session.get("Type") == "Practice":
        return "Practice"
    return None


def main():
    port, year = int(sys.argv[1]), int(sys.argv[2])
    index_bytes = (ROOT / str(year) / "Index.json").read_bytes()
    index = json.loads(index_bytes.decode("utf-8-sig"))
    sessions = {}
    for meeting in index["Meetings"]:
        head = {k: v for k, v in meeting.items() if k != "Sessions"}
        for session in meeting["Sessions"]:
            kind = kind_of(session)
            if kind and "Path" in session:
                sessions[session["Path"]] = (head, session, RECORDED[kind])

    def session_info(head, session, recorded):
        first = (ROOT / recorded / "SessionInfo.jsonStream").read_text("utf-8-sig").splitlines()[0]
        stamp, info = first[:12], json.loads(first[12:])
        info["Meeting"] = head
        for key in ("Key", "Type", "Number", "Name", "StartDate", "EndDate", "GmtOffset", "Path"):
            if key in session:
                info[key] = session[key]
        return (stamp + json.dumps(info, separators=(",", ":")) + "\r\n").encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = unquote(self.path.split("?")[0])
            body = None
            if path == f"/static/{year}/Index.json":
                body = index_bytes
            elif path.startswith("/static/"):
                folder, _, topic = path[len("/static/"):].rpartition("/")
                found = sessions.get(folder + "/")
                if found and topic == "SessionInfo.jsonStream":
                    body = session_info(*found)
                elif found and topic.endswith(".jsonStream"):
                    file = ROOT / found[2] / topic
                    if file.is_file():
                        body = file.read_bytes()
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    print(f"{len(sessions)} sessions of {year} served", file=sys.stderr, flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
