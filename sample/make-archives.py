#!/usr/bin/env python3
"""Sample upstream archives for trying sochdb-release offline, with nothing but Python 3's standard library.

Writes sochdb-{version}-{triple}.tar.gz (.zip for Windows) as upstream's release workflow lays them out: one
folder named after the triple holding sochdb-bulk, sochdb-server (not on Windows), sochdb-grpc-server, sochdb-mcp
and the two libraries, every file mode 0755. The binaries are stand-ins, not programs: each starts with a genuine
header for its platform, the part the compliance gate reads, and a little text after it.

  Linux      ELF64, x86_64 or AArch64, no dynamic needs           fits manylinux_2_17
  macOS      Mach-O 64 with LC_BUILD_VERSION, minimum macOS 11.0 (arm64) or 10.12 (x86_64, rustc's default)
  Windows    PE32+ for AMD64

    sample/make-archives.py --out DIR [--version 0.3.2] [--platforms TRIPLE,...]

The same arguments always give byte-identical files.
"""
import argparse
import gzip
import io
import os
import struct
import sys
import tarfile
import zipfile

TRIPLES = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "aarch64-apple-darwin", "x86_64-apple-darwin",
           "x86_64-pc-windows-msvc"]
MTIME = 1735689600  # 2025-01-01T00:00:00Z
EM_X86_64, EM_AARCH64 = 62, 183
CPU_X86_64, CPU_ARM64 = 0x01000007, 0x0100000C


def files(triple):
    """(name, is a program) in upstream's archive order."""
    if "windows" in triple:
        return [("sochdb-bulk.exe", True), ("sochdb-grpc-server.exe", True), ("sochdb-mcp.exe", True),
                ("sochdb_storage.dll", False), ("sochdb_index.dll", False)]
    lib = ".dylib" if "apple" in triple else ".so"
    return [("sochdb-bulk", True), ("sochdb-server", True), ("sochdb-grpc-server", True), ("sochdb-mcp", True),
            ("libsochdb_storage" + lib, False), ("libsochdb_index" + lib, False)]


def elf(machine, program):
    """A 64-byte ELF64 little-endian header: ET_EXEC or ET_DYN, no program or section headers, so no needs."""
    return struct.pack("<4sBBBB8xHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 2 if program else 3, machine, 1,
                       0, 0, 0, 0, 64, 56, 0, 64, 0, 0)


def macho(cpu, program, major, minor):
    """mach_header_64 and one LC_BUILD_VERSION (platform macOS, minimum and SDK major.minor, no tools)."""
    packed = major << 16 | minor << 8
    return struct.pack("<8I", 0xFEEDFACF, cpu, 0, 2 if program else 6, 1, 24, 0, 0) + \
        struct.pack("<6I", 0x32, 24, 1, packed, packed, 0)


def pe(dll):
    """DOS stub pointing at a PE signature, a COFF header for AMD64 and a PE32+ optional header magic."""
    b = bytearray(0x80 + 24 + 0xF0)
    b[0:2] = b"MZ"
    struct.pack_into("<I", b, 0x3C, 0x80)
    struct.pack_into("<4sHHIIIHHH", b, 0x80, b"PE\0\0", 0x8664, 0, 0, 0, 0, 0xF0, 0x2022 if dll else 0x0022, 0x20B)
    return bytes(b)


def content(triple, version, name, program):
    arm = triple.startswith("aarch64")
    if "linux" in triple:
        head = elf(EM_AARCH64 if arm else EM_X86_64, program)
    elif "apple" in triple:
        head = macho(CPU_ARM64, program, 11, 0) if arm else macho(CPU_X86_64, program, 10, 12)
    else:
        head = pe(not program)
    return head + ("\0sample stand-in for %s %s (%s), not a program\n" % (name, version, triple)).encode()


def write(out, version, triple):
    folder = triple + "/"
    if "windows" in triple:
        path = os.path.join(out, "sochdb-%s-%s.zip" % (version, triple))
        with zipfile.ZipFile(path + ".part", "w", zipfile.ZIP_DEFLATED) as z:
            for name, program in files(triple):
                info = zipfile.ZipInfo(folder + name, (2025, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o100755 << 16
                z.writestr(info, content(triple, version, name, program))
    else:
        path = os.path.join(out, "sochdb-%s-%s.tar.gz" % (version, triple))
        with open(path + ".part", "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=MTIME) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, program in files(triple):
                data = content(triple, version, name, program)
                info = tarfile.TarInfo(folder + name)
                info.size, info.mtime, info.mode = len(data), MTIME, 0o755
                info.uname, info.gname = "runner", "docker"
                tar.addfile(info, io.BytesIO(data))
    os.replace(path + ".part", path)
    return path


def main():
    p = argparse.ArgumentParser(description="Write sample upstream archives for an offline dry run.")
    p.add_argument("--out", required=True, help="folder to write the archives into (created if needed)")
    p.add_argument("--version", default="0.3.2", help="upstream version in the file names (default 0.3.2)")
    p.add_argument("--platforms", default=",".join(TRIPLES),
                   help="comma-separated triples (default: the five upstream builds)")
    a = p.parse_args()
    chosen = [t.strip() for t in a.platforms.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in TRIPLES]
    if unknown or not chosen:
        sys.exit("--platforms: unknown triple %s; choose from %s" % (", ".join(unknown) or "(none given)",
                                                                   ", ".join(TRIPLES)))
    if "/" in a.version or not a.version.strip():
        sys.exit("--version: %r cannot be part of a file name" % a.version)
    os.makedirs(a.out, exist_ok=True)
    for triple in chosen:
        print(write(a.out, a.version, triple))


if __name__ == "__main__":
    main()
