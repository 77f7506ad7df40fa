#!/usr/bin/env python3
"""Watches the run directories of a results root and appends, as JSON lines, every artifact the moment it appears
(size, modification time, inode, SHA-256), every later change and every disappearance. A finished iteration's
summary.json is stored with its content, so that the check knows from when on each file it lists is sealed.
Hidden files (the atomic writes' temporaries, the iteration claims' .lock files) are not artifacts and are skipped.

    ledger.py RESULTS_ROOT EVENTS_FILE [PERIOD_SECONDS]      # runs until SIGTERM
"""
import hashlib
import json
import os
import signal
import sys
import time

root, events_path = sys.argv[1], sys.argv[2]
period = float(sys.argv[3]) if len(sys.argv) > 3 else 0.25
seen = {}  # relative path -> (inode, size, mtime_ns)
stopping = False


def stop(*_):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def artifacts():
    """Relative paths of the non-hidden files under <root>/<sweep>/runs/."""
    for sweep in os.listdir(root) if os.path.isdir(root) else []:
        runs = os.path.join(root, sweep, "runs")
        for directory, subdirectories, files in os.walk(runs):
            subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
            for name in files:
                if not name.startswith("."):
                    yield os.path.relpath(os.path.join(directory, name), root)


def scan(out):
    present = set()
    for relative in artifacts():
        path = os.path.join(root, relative)
        try:
            info = os.stat(path)
            fingerprint = (info.st_ino, info.st_size, info.st_mtime_ns)
            if seen.get(relative) == fingerprint:
                present.add(relative)
                continue
            digest = sha256(path)
            content = json.load(open(path)) if relative.endswith("summary.json") else None
            if os.stat(path).st_ino != info.st_ino:
                continue  # replaced while hashed: the next scan sees the new file whole
        except (FileNotFoundError, json.JSONDecodeError):
            continue  # moved away between listing and reading: the next scan tells
        present.add(relative)
        event = {"t": time.time(), "event": "changed" if relative in seen else "new", "path": relative,
                 "inode": info.st_ino, "bytes": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": digest}
        if content is not None:
            event["files"] = content.get("files")
        seen[relative] = fingerprint
        out.write(json.dumps(event) + "\n")
    for relative in [p for p in seen if p not in present]:
        if not os.path.exists(os.path.join(root, relative)):
            del seen[relative]
            out.write(json.dumps({"t": time.time(), "event": "gone", "path": relative}) + "\n")
    out.flush()


with open(events_path, "a", encoding="utf-8") as events:
    while not stopping:
        scan(events)
        time.sleep(period)
    scan(events)
