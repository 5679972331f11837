#!/usr/bin/env bash
# The standard-tools floor: what a shell script does with the same archives, one platform after another:
# stream-extract, zip -6 (Info-ZIP) the files, and sha256sum every file.
#   floor.sh ARCHIVES_DIR WORK_DIR
set -euo pipefail
archives=$(cd "$1" && pwd)
work=$2
rm -rf "$work" && mkdir -p "$work"
for archive in "$archives"/*.tar.gz "$archives"/*.zip; do
    name=$(basename "$archive")
    name=${name%.tar.gz}
    name=${name%.zip}
    dir="$work/$name"
    mkdir -p "$dir"
    case "$archive" in
        *.zip) unzip -q "$archive" -d "$dir" ;;
        *) tar -xzf "$archive" -C "$dir" ;;
    esac
    (cd "$dir" && zip -6 -q -r "$work/$name.whl" . && find . -type f -exec sha256sum {} + > "$work/$name.sums")
done
