#!/usr/bin/env python3
"""Realistic upstream archives for the benchmark, deterministic from a seed.

Every binary is a genuine header (a real ELF shared object of this machine that fits manylinux_2_17, with e_machine
set to AArch64 for aarch64 Linux; a Mach-O header with LC_BUILD_VERSION 11.0 for arm64 or 10.12 for x86_64, rustc's
defaults; a PE32+ header for x86_64) followed by slices of real machine code:
this machine's /usr/lib shared objects and the JDK's native libraries, picked by a seeded generator. Slices keep
the compressibility of real binaries (neither zeros nor random bytes). Archives are written as upstream writes
them: tar.gz (gzip -6) for Linux and macOS, a deflate-6 zip for Windows. bench/run writes all five upstream
platforms and offers the release three or five of them with RELEASE_PLATFORMS.

    fixtures.py --out DIR --size-mb 150 [--seed 9] [--version 0.3.2] [--platforms TRIPLE,...]

The default platforms are the three the benchmark has always measured (bench/RESULTS.md); --platforms adds
aarch64-unknown-linux-gnu and x86_64-apple-darwin, upstream's other two builds.

Prints the pool (files and a digest of their names and sizes) so a run can say what it was built from.
"""
import argparse
import gzip
import hashlib
import io
import os
import random
import struct
import subprocess
import sys
import tarfile
import zipfile
import importlib.util

# The Mach-O and PE headers are the sample generator's (rustc's default deployment targets), so both say the same.
_SPEC = importlib.util.spec_from_file_location(
    "make_archives", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sample", "make-archives.py"))
sample = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(sample)

TRIPLES = ["x86_64-unknown-linux-gnu", "aarch64-apple-darwin", "x86_64-pc-windows-msvc"]
ALL_TRIPLES = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "aarch64-apple-darwin", "x86_64-apple-darwin",
               "x86_64-pc-windows-msvc"]
LINUX_FILES = [("sochdb-bulk", True), ("sochdb-server", True), ("sochdb-grpc-server", True),
               ("libsochdb_storage.so", False), ("libsochdb_index.so", False)]
MAC_FILES = [("sochdb-bulk", True), ("sochdb-server", True), ("sochdb-grpc-server", True),
             ("libsochdb_storage.dylib", False), ("libsochdb_index.dylib", False)]
FILES = {
    "x86_64-unknown-linux-gnu": LINUX_FILES,
    "aarch64-unknown-linux-gnu": LINUX_FILES,
    "aarch64-apple-darwin": MAC_FILES,
    "x86_64-apple-darwin": MAC_FILES,
    "x86_64-pc-windows-msvc": [("sochdb-bulk.exe", True), ("sochdb-grpc-server.exe", True),
                               ("sochdb_storage.dll", False), ("sochdb_index.dll", False)],
}
# Share of the platform's payload per file, as in upstream's releases: the servers are the big ones.
WEIGHTS = {5: [0.14, 0.30, 0.30, 0.16, 0.10], 4: [0.22, 0.40, 0.24, 0.14]}
MTIME = 1735689600  # 2025-01-01, upstream CI's clock does not matter
POOL_DIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/jvm"]


def elf_info(path):
    """(needed libraries, highest GLIBC_ version, other versioned needs) from readelf, or None if not x86_64 ELF."""
    with open(path, "rb") as f:
        head = f.read(20)
    if len(head) < 20 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
        return None
    if struct.unpack_from("<H", head, 18)[0] != 0x3E or struct.unpack_from("<H", head, 16)[0] != 3:
        return None
    dyn = subprocess.run(["readelf", "-dW", path], capture_output=True, text=True).stdout
    needed = sorted({l.split("[", 1)[1].rstrip("]") for l in dyn.splitlines() if "(NEEDED)" in l})
    ver = subprocess.run(["readelf", "-VW", path], capture_output=True, text=True).stdout
    needs = ver.split("Version needs section", 1)[1] if "Version needs section" in ver else ""
    names = [w.split("Name:", 1)[1].split()[0] for w in needs.splitlines() if "Name: " in w and "Flags" in w]
    numbered = [n for n in names if n.startswith("GLIBC_") and n[6:].replace(".", "").isdigit()]
    glibc = [tuple(int(p) for p in n[6:].split(".")) for n in numbered]
    others = [n for n in names if n not in numbered]
    return needed, max(glibc) if glibc else None, others


def shared_objects():
    seen = {}
    for top in POOL_DIRS:
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                if ".so" not in name:
                    continue
                path = os.path.join(root, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                real = os.path.realpath(path)
                if real not in seen:
                    seen[real] = os.path.getsize(real)
    return sorted(seen.items())


def pools():
    """(headers: manylinux_2_17 shared objects needing only libc; code: every x86_64 shared object of 64 KiB+)."""
    headers, code = [], []
    for path, size in shared_objects():
        info = elf_info(path)
        if info is None:
            continue
        needed, glibc, others = info
        if size >= 65536:
            code.append((path, size))
        if needed == ["libc.so.6"] and glibc is not None and glibc <= (2, 17) and not others:
            headers.append((path, size))
    return headers, code


def machine_code(rng, code, count):
    """`count` bytes of slices (64 KiB to 1 MiB) of real shared objects, chosen by rng."""
    out = bytearray()
    while len(out) < count:
        path, size = code[rng.randrange(len(code))]
        length = min(size, rng.randrange(64 << 10, (1 << 20) + 1), count - len(out))
        start = rng.randrange(0, size - length + 1)
        with open(path, "rb") as f:
            f.seek(start)
            out += f.read(length)
    return bytes(out)


def binary(rng, triple, name, executable, size, headers, code):
    if "linux" in triple:
        path, _ = headers[rng.randrange(len(headers))]
        with open(path, "rb") as f:
            head = f.read()
        if triple.startswith("aarch64"):
            # The same structure (needs, versions, sections) with the machine an aarch64 build would state.
            head = head[:18] + struct.pack("<H", 0xB7) + head[20:]
    elif "apple" in triple:
        head = sample.macho(sample.CPU_ARM64, executable, 11, 0) if triple.startswith("aarch64") \
            else sample.macho(sample.CPU_X86_64, executable, 10, 12)
    else:
        head = sample.pe(not executable)
    head = head[:size]
    return head + machine_code(rng, code, size - len(head))


def write(out, version, triple, size_mb, seed, headers, code):
    files = FILES[triple]
    total = size_mb * 1000 * 1000
    rng = random.Random("%s/%s/%s" % (seed, triple, size_mb))
    sizes = [int(total * w) for w in WEIGHTS[len(files)]]
    sizes[-1] += total - sum(sizes)
    prefix = triple + "/"
    if triple.endswith("windows-msvc"):
        path = os.path.join(out, "sochdb-%s-%s.zip" % (version, triple))
        with zipfile.ZipFile(path + ".part", "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for (name, executable), size in zip(files, sizes):
                info = zipfile.ZipInfo(prefix + name, (2025, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o100755 if executable else 0o100644) << 16
                z.writestr(info, binary(rng, triple, name, executable, size, headers, code), compresslevel=6)
    else:
        path = os.path.join(out, "sochdb-%s-%s.tar.gz" % (version, triple))
        with open(path + ".part", "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=MTIME) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for (name, executable), size in zip(files, sizes):
                data = binary(rng, triple, name, executable, size, headers, code)
                info = tarfile.TarInfo(prefix + name)
                info.size, info.mtime, info.mode = len(data), MTIME, 0o755 if executable else 0o644
                info.uid, info.gid, info.uname, info.gname = 1001, 127, "runner", "docker"
                tar.addfile(info, io.BytesIO(data))
    os.replace(path + ".part", path)
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--size-mb", type=int, required=True, help="payload per platform, in MB (10^6 bytes)")
    p.add_argument("--seed", default="9")
    p.add_argument("--version", default="0.3.2")
    p.add_argument("--platforms", default=",".join(TRIPLES), help="comma-separated triples (default: the three)")
    a = p.parse_args()
    chosen = [t.strip() for t in a.platforms.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in ALL_TRIPLES]
    if unknown or not chosen:
        sys.exit("--platforms: unknown triple %s; choose from %s" % (", ".join(unknown) or "(none)", ", ".join(ALL_TRIPLES)))
    os.makedirs(a.out, exist_ok=True)
    headers, code = pools()
    if len(headers) < 10:
        sys.exit("only %d shared objects fit manylinux_2_17 here; need at least 10" % len(headers))
    digest = hashlib.sha256("\n".join("%s %d" % c for c in code).encode()).hexdigest()[:16]
    print("pool: %d code files (%d MB), %d manylinux_2_17 headers, digest %s"
          % (len(code), sum(s for _, s in code) >> 20, len(headers), digest))
    for triple in chosen:
        print(write(a.out, a.version, triple, a.size_mb, a.seed, headers, code))


if __name__ == "__main__":
    main()
