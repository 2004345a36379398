#!/bin/sh
# Rebuilds f1db.tar.gz from an f1db checkout: `./make-bundle.sh /path/to/f1db/src/data`.
# Only the files the importer reads are packed, in a stable order with fixed
# metadata, so the same data always gives the same tarball.
set -eu
data="${1:?usage: $0 F1DB_DATA_DIR}"
out="$(cd "$(dirname "$0")" && pwd)/f1db.tar.gz"
cd "$data"
{
  find seasons -type f \( -name race.yml -o -name race-results.yml -o -name qualifying-results.yml \
    -o -name 'free-practice-[123]-results.yml' -o -name sprint-qualifying-results.yml \
    -o -name sprint-race-results.yml -o -name fastest-laps.yml -o -name driver-standings.yml \
    -o -name constructor-standings.yml -o -name pit-stops.yml \)
  find drivers constructors circuits grands-prix countries -type f -name '*.yml'
} | LC_ALL=C sort > /tmp/f1db-bundle-files.$$
tar --owner=0 --group=0 --numeric-owner --mtime='2026-08-21 00:00Z' --mode='a=r,u+w' \
  -cf - -T /tmp/f1db-bundle-files.$$ | gzip -9n > "$out"
rm -f /tmp/f1db-bundle-files.$$
echo "wrote $out"
