# Every cell of the install matrix in one interpreter: for each (platform tag, Python version), pip's own
# PackageFinder -- built by pip's own `download` command from the same command line a per-cell `pip download`
# would get -- evaluates the links, and the candidates it ranks are then held to pip's resolver checks
# (metadata name and version, Requires-Python) best first, as the resolver would. What costs a per-cell process
# (an interpreter and pip's imports, a copy and a hash of every wheel per cell) is paid once: each file pip picks
# is hashed, or downloaded, once.
#
# Input: a JSON job file (argv[1]). Output: one line "CELLS <json>". When this pip's internals are not the ones
# known here (pip 22 to 26 are), the line says "unsupported" and the caller falls back to a process per cell.
import email.parser
import hashlib
import json
import logging
import os
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor


def emit(result):
    sys.stdout.write("CELLS " + json.dumps(result) + "\n")
    sys.stdout.flush()


try:
    import pip
    from pip._internal.cli.cmdoptions import make_target_python
    from pip._internal.commands import create_command
    from pip._internal.utils.packaging import check_requires_python
    from pip._vendor.packaging.specifiers import SpecifierSet
    from pip._vendor.packaging.utils import canonicalize_name
    from pip._vendor.packaging.version import Version
except Exception as e:  # noqa: BLE001 -- any pip we cannot drive means: fall back
    emit({"unsupported": "%s: %s" % (type(e).__name__, e)})
    sys.exit(0)


class Log(logging.Handler):
    """pip says why it passes a link over only in its debug log; keep what it says per cell."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.skipped = []
        self.problems = []

    def emit(self, record):
        message = record.getMessage()
        if message.startswith("Skipping link") and len(record.args or ()) >= 2:
            self.skipped.append((getattr(record.args[1], "filename", ""), str(record.args[0])))
        elif record.levelno >= logging.WARNING:
            self.problems.append(message)


class Files:
    """What each file pip might pick holds: read, downloaded and hashed once, whichever cells ask."""

    def __init__(self, session, downloads):
        self.session = session
        self.downloads = downloads
        self.known = {}

    def get(self, link):
        key = link.url_without_fragment
        if key not in self.known:
            self.known[key] = self._load(link)
        return self.known[key]

    def _load(self, link):
        info = {"filename": link.filename, "sha256": None, "error": None}
        try:
            if link.is_file:
                info["path"] = link.file_path
            else:
                info["path"], info["sha256"] = self._download(link)
            info.update(metadata(info["path"]))
        except Exception as e:  # noqa: BLE001 -- reported in the cells that needed this file
            info["error"] = "%s: %s" % (type(e).__name__, e)
        return info

    def _download(self, link):
        path = os.path.join(self.downloads, link.filename)
        digest = hashlib.sha256()
        with self.session.get(link.url_without_fragment, stream=True,
                              headers={"Accept-Encoding": "identity"}) as response:
            response.raise_for_status()
            with open(path, "wb") as out:
                for chunk in response.iter_content(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
        return path, digest.hexdigest()

    def hash_local(self):
        pending = [i for i in self.known.values() if i["error"] is None and i["sha256"] is None]
        # hashlib lets go of the GIL for large buffers, so the files are hashed side by side.
        with ThreadPoolExecutor(max_workers=min(4, max(1, len(pending)))) as pool:
            for info, digest in zip(pending, pool.map(sha256_of, [i["path"] for i in pending])):
                info["sha256"] = digest


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            if not block:
                return digest.hexdigest()
            digest.update(block)


def metadata(path):
    with zipfile.ZipFile(path) as wheel:
        dist_infos = {n.split("/", 1)[0] for n in wheel.namelist()
                      if "/" in n and n.split("/", 1)[0].endswith(".dist-info")}
        if len(dist_infos) != 1:
            raise ValueError("the wheel has %d .dist-info directories" % len(dist_infos))
        text = wheel.read(dist_infos.pop() + "/METADATA").decode("utf-8")
    fields = email.parser.HeaderParser().parsestr(text)
    return {"name": fields.get("Name"), "version": fields.get("Version"),
            "requires_python": fields.get("Requires-Python")}


def applicable(result):
    """Best first, as pip's resolver tries them (pip <= 24: iter_applicable(); 25 on: a list field)."""
    candidates = result.iter_applicable() if hasattr(result, "iter_applicable") else result.applicable_candidates
    return list(reversed(list(candidates)))


def resolve(cmd, session, files, log, job, cell):
    options, _ = cmd.parse_args(job["pip_args"] + ["--platform", cell["platform"],
                                                   "--python-version", cell["python"], job["requirement"]])
    target = make_target_python(options)
    finder = cmd._build_package_finder(options=options, session=session, target_python=target,
                                       ignore_requires_python=bool(options.ignore_requires_python))
    log.skipped, log.problems = [], []
    project = canonicalize_name(job["project"])
    found = finder.find_best_candidate(project, SpecifierSet("==" + job["version"]))
    passed_over = [{"file": f, "detail": d} for f, d in log.skipped]
    python = tuple(target.py_version_info)
    for candidate in applicable(found):
        link = candidate.link
        info = files.get(link)
        if info["error"] is not None:
            return {"error": "%s: %s" % (link.filename, info["error"])}
        advertised = link.hash if getattr(link, "hash_name", None) == "sha256" else None
        if info["name"] is None or canonicalize_name(info["name"]) != project \
                or Version(info["version"]) != Version(job["version"]):
            passed_over.append({"file": link.filename, "detail": "its metadata names %s %s"
                                % (info["name"], info["version"])})
            continue
        if not check_requires_python(info["requires_python"], python):
            passed_over.append({"file": link.filename, "detail": "Requires-Python %s excludes Python %s"
                                % (info["requires_python"], cell["python"]), "requires_python": True})
            continue
        return {"picked": link.filename, "url": link.url_without_fragment, "index_sha256": advertised}
    if log.problems:
        return {"error": log.problems[-1], "passed_over": passed_over}
    return {"picked": None, "passed_over": passed_over}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    logger = logging.getLogger("pip._internal.index")
    log = Log()
    logger.addHandler(log)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    cmd = create_command("download")
    results = {}
    with cmd.main_context():
        options, _ = cmd.parse_args(job["pip_args"] + [job["requirement"]])
        session = cmd.get_default_session(options)
        files = Files(session, job["downloads"])
        for cell in job["cells"]:
            try:
                results[cell["id"]] = resolve(cmd, session, files, log, job, cell)
            except (AttributeError, TypeError, ImportError, NameError) as e:
                emit({"unsupported": "pip %s: %s: %s" % (pip.__version__, type(e).__name__, e)})
                return
            except Exception as e:  # noqa: BLE001 -- e.g. the index answering garbage: this cell's error
                results[cell["id"]] = {"error": "%s: %s" % (type(e).__name__, e)}
        files.hash_local()
    for result in results.values():
        info = files.known.get(result.get("url"))
        if info is not None:
            result["sha256"] = info["sha256"]
    emit({"pip": pip.__version__, "cells": results})


main()
