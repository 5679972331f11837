#!/usr/bin/env python3
"""Start-up of the jar, timed from the moment the process is launched.

    startup.py release -- COMMAND...     time to the release's first step: the arrival of the first step's log line
                                         ("step resolve: ... in N ms") minus the N ms the step itself took
    startup.py exit -- COMMAND...        time until the process exits (e.g. `java -version`)
    startup.py service -- COMMAND...     time until the readiness probe (GET /observe/health/ready on
                                         MANAGEMENT_PORT) answers 200 with "UP", polled every 10 ms; then SIGTERM
                                         and the time the process takes to exit. SERVER_PORT and MANAGEMENT_PORT
                                         are set to free ports, so nothing else can answer for it.

Prints one JSON object: {"first_s" | "ready_s", "wall_s", "cpu_s", "rss_kb", "rc"}. The command's stderr goes to
$STARTUP_LOG when set (for a look afterwards), stdout is discarded.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

STEP = re.compile(r"step \S+: \w+ in (\d+) ms")


def wait_rusage(proc):
    """Peak RSS (KB) and CPU seconds (user + system) of the finished process."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def release(command):
    log = open(os.environ.get("STARTUP_LOG", os.devnull), "w")
    t0 = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = None
    for line in proc.stderr:
        log.write(line)
        m = STEP.search(line)
        if first is None and m:
            first = time.monotonic() - t0 - int(m.group(1)) / 1000
    rss, cpu = wait_rusage(proc)
    wall = time.monotonic() - t0
    return {"first_s": first, "wall_s": wall, "cpu_s": cpu, "rss_kb": rss, "rc": proc.returncode}


def ready(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            return r.status == 200 and b"UP" in r.read()
    except OSError:
        return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service(command, limit=60):
    log = open(os.environ.get("STARTUP_LOG", os.devnull), "w")
    management = free_port()
    env = dict(os.environ, SERVER_PORT=str(free_port()), MANAGEMENT_PORT=str(management))
    url = "http://127.0.0.1:%d/observe/health/ready" % management
    t0 = time.monotonic()
    proc = subprocess.Popen(command, stdout=log, stderr=log, env=env)
    up = None
    while time.monotonic() - t0 < limit and proc.poll() is None:
        if ready(url):
            up = time.monotonic() - t0
            if proc.poll() is not None:
                sys.exit("something else answered on port %d" % management)
            break
        time.sleep(0.01)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    t1 = time.monotonic()
    rss, cpu = wait_rusage(proc)
    return {"ready_s": up, "stop_s": time.monotonic() - t1, "wall_s": time.monotonic() - t0, "cpu_s": cpu, "rss_kb": rss,
            "rc": 0 if up is not None else 1}


def main():
    args = sys.argv[1:]
    split = args.index("--")
    head, command = args[:split], args[split + 1:]
    if head == ["exit"]:
        t0 = time.monotonic()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rss, cpu = wait_rusage(proc)
        wall = time.monotonic() - t0
        result = {"first_s": wall, "wall_s": wall, "cpu_s": cpu, "rss_kb": rss, "rc": proc.returncode}
    elif head == ["release"]:
        result = release(command)
        if result["first_s"] is None:
            result["rc"] = result["rc"] or 1
    elif head == ["service"]:
        result = service(command)
    else:
        sys.exit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
