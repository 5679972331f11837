#!/usr/bin/env python3
"""The machine's lower bound for building the wheels of one payload, measured on the same bytes.

Single-core throughput of the three operations a release cannot avoid, through the same C libraries the JVM uses
(zlib for inflate and deflate-6, OpenSSL's sha256 being as fast as the JDK's SHA-NI intrinsic):
  - inflate every archive once (gunzip of a tar.gz; the deflated entries of a zip);
  - deflate-6 every binary of a tar.gz platform (a zip's entries are already deflated: they are copied raw);
  - sha256 every binary (RECORD).
Per platform, work = inflate + deflate + sha256 seconds; for N cores the bound is max(total / N, largest platform).

With --parallel it also runs the same work for real, one process per platform, all at once (as the release runs
its platforms), and reports the wall time: the floor that the machine's cores really give, which is above the
bound when cores do not scale perfectly (shared caches, a busy host).

    lowerbound.py DIR [--cores 2] [--parallel]      prints one JSON object
"""
import argparse
import hashlib
import json
import multiprocessing
import os
import struct
import time
import zlib

CHUNK = 1 << 20


def zip_entries(path):
    """(name, method, raw compressed bytes) of every file entry, from the central directory."""
    import zipfile
    out = []
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for info in z.infolist():
            if info.is_dir():
                continue
            f.seek(info.header_offset)
            head = f.read(30)
            start = info.header_offset + 30 + struct.unpack_from("<H", head, 26)[0] + struct.unpack_from("<H", head, 28)[0]
            f.seek(start)
            out.append((info.filename, info.compress_type, f.read(info.compress_size)))
    return out


def tar_members(data):
    """The regular files of an uncompressed tar (ustar and pax), as memoryviews."""
    view, pos, out = memoryview(data), 0, []
    pax_size = None
    while pos + 512 <= len(data):
        header = data[pos:pos + 512]
        if header == b"\0" * 512:
            break
        size = int(header[124:136].split(b"\0")[0].strip() or b"0", 8)
        kind = header[156:157]
        body = pos + 512
        if kind == b"x":
            for record in data[body:body + size].decode().splitlines():
                if " size=" in record:
                    pax_size = int(record.split("=", 1)[1])
        elif kind in (b"0", b"\0"):
            size = pax_size if pax_size is not None else size
            out.append(view[body:body + size])
            pax_size = None
        pos = body + (size + 511) // 512 * 512
    return out


def measure(path):
    with open(path, "rb") as f:
        compressed = f.read()
    if path.endswith(".zip"):
        entries = zip_entries(path)
        t = time.perf_counter()
        files = []
        for _, method, raw in entries:
            if method == 8:
                d = zlib.decompressobj(-15)
                parts = [d.decompress(raw[i:i + CHUNK]) for i in range(0, len(raw), CHUNK)]
                files.append(b"".join(parts) + d.flush())
            else:
                files.append(raw)
        inflate = time.perf_counter() - t
        deflate = 0.0
    else:
        t = time.perf_counter()
        d = zlib.decompressobj(31)
        parts = [d.decompress(compressed[i:i + CHUNK]) for i in range(0, len(compressed), CHUNK)]
        tar = b"".join(parts) + d.flush()
        inflate = time.perf_counter() - t
        files = tar_members(tar)
        t = time.perf_counter()
        for content in files:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            for i in range(0, len(content), CHUNK):
                c.compress(content[i:i + CHUNK])
            c.flush()
        deflate = time.perf_counter() - t
    t = time.perf_counter()
    for content in files:
        h = hashlib.sha256()
        for i in range(0, len(content), CHUNK):
            h.update(content[i:i + CHUNK])
        h.digest()
    sha = time.perf_counter() - t
    size = sum(len(c) for c in files)
    return {"archive": os.path.basename(path), "bytes": size, "inflate_s": inflate, "deflate_s": deflate,
            "sha256_s": sha, "work_s": inflate + deflate + sha,
            "inflate_mbps": size / 1e6 / inflate if inflate else None,
            "deflate_mbps": size / 1e6 / deflate if deflate else None,
            "sha256_mbps": size / 1e6 / sha if sha else None}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--cores", type=int, default=2)
    p.add_argument("--parallel", action="store_true")
    a = p.parse_args()
    archives = [os.path.join(a.dir, n) for n in sorted(os.listdir(a.dir)) if n.endswith(".tar.gz") or n.endswith(".zip")]
    platforms = [measure(path) for path in archives]
    total = sum(x["work_s"] for x in platforms)
    largest = max(x["work_s"] for x in platforms)
    result = {"platforms": platforms, "total_work_s": total, "largest_s": largest,
              "bound_s": max(total / a.cores, largest), "cores": a.cores}
    if a.parallel:
        with multiprocessing.Pool(len(archives)) as pool:
            pool.map(time.sleep, [0] * len(archives))   # workers up before the clock starts
            t = time.perf_counter()
            pool.map(measure, archives, chunksize=1)
            result["parallel_wall_s"] = time.perf_counter() - t
    print(json.dumps(result))


if __name__ == "__main__":
    main()
