#!/usr/bin/env python3
"""Hostile traffic against a running service: concurrent 25 MB unsigned webhook POSTs and slow clients.

usage: webhook_flood.py PORT [CONCURRENT] [ROUNDS] [SLOW]
Prints how each request ended; measure the service's memory beside it (jstat -gc PID, ps -o rss).
"""
import socket
import sys
import threading
import time
from collections import Counter

port = int(sys.argv[1])
concurrent = int(sys.argv[2]) if len(sys.argv) > 2 else 80
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
slow = int(sys.argv[4]) if len(sys.argv) > 4 else 0
SIZE = 25 * 1024 * 1024
CHUNK = b"x" * 65536
outcomes = Counter()
lock = threading.Lock()


def post(signature):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    head = ("POST /webhooks/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "X-GitHub-Event: release\r\nX-GitHub-Delivery: flood\r\n%sContent-Length: %d\r\n\r\n"
            % (signature, SIZE)).encode()
    try:
        s.sendall(head)
        sent = 0
        while sent < SIZE:
            s.sendall(CHUNK)
            sent += len(CHUNK)
        status = s.recv(64).split(b" ")[1].decode()
    except OSError as e:
        # The service may answer 503 and close before the body is sent: that is the point.
        try:
            data = s.recv(64)
            status = data.split(b" ")[1].decode() if data else type(e).__name__
        except OSError:
            status = type(e).__name__
    finally:
        s.close()
    with lock:
        outcomes[status] += 1


def slow_client(opened):
    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    s.sendall(b"POST /webhooks/github HTTP/1.1\r\nHost: x\r\n")
    opened.append(s)


start = time.time()
if slow:
    held = []
    for _ in range(slow):
        slow_client(held)
    print("slow clients opened:", len(held))
for r in range(rounds):
    threads = [threading.Thread(target=post, args=("X-Hub-Signature-256: sha256=" + "0" * 64 + "\r\n"
                                                     if i % 2 else "",)) for i in range(concurrent)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("round", r + 1, dict(outcomes), "%.1fs" % (time.time() - start))
if slow:
    time.sleep(15)
    closed = 0
    for s in held:
        try:
            s.settimeout(0.5)
            if s.recv(1) == b"":
                closed += 1
        except socket.timeout:
            pass
        except OSError:
            closed += 1
    print("slow clients closed by the service after 15 s:", closed, "of", len(held))
