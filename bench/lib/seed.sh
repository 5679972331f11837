#!/usr/bin/env bash
# The seed's own steps, as its release script did them: for each platform extract the archive, copy the binaries
# into the SDK tree, `python3 -m build --wheel` (Debian's python3-build, no isolation), rename the py3-none-any
# wheel to the platform tag; then the sdist.
#   seed.sh ARCHIVES_DIR SDK_DIR WORK_DIR
set -euo pipefail
archives=$(cd "$1" && pwd)
sdk=$(cd "$2" && pwd)
work=$3
python=/usr/bin/python3
rm -rf "$work" && mkdir -p "$work/dist"
declare -A tags=([x86_64-unknown-linux-gnu]=manylinux_2_17_x86_64 [aarch64-apple-darwin]=macosx_11_0_arm64
                 [x86_64-pc-windows-msvc]=win_amd64)
for triple in x86_64-unknown-linux-gnu aarch64-apple-darwin x86_64-pc-windows-msvc; do
    archive=$(ls "$archives"/sochdb-*-"$triple".*)
    rm -rf "$work/extract" "$work/sdk"
    mkdir -p "$work/extract"
    cp -r "$sdk" "$work/sdk"
    case "$archive" in
        *.zip) unzip -q "$archive" -d "$work/extract" ;;
        *) tar -xzf "$archive" -C "$work/extract" ;;
    esac
    mkdir -p "$work/sdk/src/sochdb/_bin/$triple" "$work/sdk/src/sochdb/lib/$triple"
    for f in "$work/extract/$triple"/*; do
        case "$f" in
            *.so|*.dylib|*.dll) cp "$f" "$work/sdk/src/sochdb/lib/$triple/" ;;
            *) cp "$f" "$work/sdk/src/sochdb/_bin/$triple/" && chmod 755 "$work/sdk/src/sochdb/_bin/$triple/$(basename "$f")" ;;
        esac
    done
    (cd "$work/sdk" && "$python" -m build --wheel --no-isolation --outdir "$work/wheel" > /dev/null 2>&1)
    wheel=$(ls "$work/wheel"/*-py3-none-any.whl)
    mv "$wheel" "$work/dist/$(basename "${wheel%-any.whl}")-${tags[$triple]}.whl"
done
(cd "$work/sdk" && rm -rf src/sochdb/_bin src/sochdb/lib && "$python" -m build --sdist --no-isolation --outdir "$work/dist" > /dev/null 2>&1)
