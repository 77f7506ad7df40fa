#!/usr/bin/env python3
"""The checks and figures of scripts/chaos, from what the two sweeps left behind: the results of the calm run and of
the chaos run, the chaos run's artifact ledger (ledger.py) and the logs of every silo process of the chaos run (killed
ones included). Prints one line per check and the figures; exits 1 when a check fails.

    verify.py --calm ROOT --chaos ROOT --events FILE --figures FILE [--fact NAME=VALUE ...] SILO_LOG...
"""
import argparse
import collections
import csv
import glob
import hashlib
import json
import os
import re
import sys
import zipfile

TIMING_COLUMNS = {"train_seconds"}

arguments = argparse.ArgumentParser()
arguments.add_argument("--calm", required=True)
arguments.add_argument("--chaos", required=True)
arguments.add_argument("--events", required=True)
arguments.add_argument("--figures", required=True, help="where to write the figures as JSON")
arguments.add_argument("--fact", action="append", default=[], help="NAME=VALUE measured by the driver (kills, wall times)")
arguments.add_argument("logs", nargs="+")
options = arguments.parse_args()

failures = []
figures = dict(fact.split("=", 1) for fact in options.fact)


def check(passed, what, detail=""):
    print(f"  {'ok  ' if passed else 'FAIL'} {what}{': ' + detail if detail else ''}")
    if not passed:
        failures.append(what)


def sweep_directory(root):
    manifests = glob.glob(os.path.join(root, "*", "sweep.json"))
    if len(manifests) != 1:
        sys.exit(f"{root}: expected one sweep, found {len(manifests)}")
    return os.path.dirname(manifests[0])


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def finished_iterations(sweep):
    """run directory -> the summary.json contents of its finished iterations, in order."""
    manifest = json.load(open(os.path.join(sweep, "sweep.json")))
    result = {}
    for run in manifest["runs"]:
        directory = os.path.join(sweep, run["directory"])
        result[directory] = [json.load(open(path)) for path in sorted(glob.glob(os.path.join(directory, "iter-*", "summary.json")))]
    return result


def summary_rows(sweep):
    with open(os.path.join(sweep, "summary.csv"), newline="") as stream:
        rows = list(csv.reader(stream))
    header, body = rows[0], rows[1:]
    keep = [i for i, column in enumerate(header) if column not in TIMING_COLUMNS]
    return header, [[row[i] for i in keep] for row in body]


calm, chaos = sweep_directory(options.calm), sweep_directory(options.chaos)
print(f"checks (chaos sweep {chaos}):")

kills, restarts = int(figures.get("silo_kills", 0)), int(figures.get("redis_restarts", 0))
check(kills >= 3 and restarts >= 1, "the chaos happened while the sweep ran",
      f"{kills} silo kills, {restarts} Redis restart(s)" + ("" if restarts else "; the sweep ended first: give it more runs"))

# 1. The sweep is finished: every run has its iterations up to its last one.
runs = finished_iterations(chaos)
iterations = sum(len(i) for i in runs.values())
unfinished = [d for d, i in runs.items() if not i or not i[-1]["is_last"]]
check(not unfinished and figures.get("client_exit") == "0", "the sweep finished",
      f"{len(runs)} runs, {iterations} iterations; `grid run` exited {figures.get('client_exit')}"
      + (f"; unfinished: {', '.join(os.path.basename(d) for d in unfinished[:5])}" if unfinished else ""))
figures.update(runs=len(runs), iterations=iterations)

# 2. summary.csv is complete and equals the calm run's row for row, timings aside.
header, rows = summary_rows(chaos)
calm_header, calm_rows = summary_rows(calm)
not_finished = [r for r in rows if r[-1] != "finished"]
check(len(rows) == iterations and not not_finished, "summary.csv is complete",
      f"{len(rows)} rows, {len(not_finished)} not finished, {iterations} finished iterations on disk")
mismatches = [(i, a, b) for i, (a, b) in enumerate(zip(rows, calm_rows)) if a != b]
mismatches += [(i, rows[i] if i < len(rows) else None, calm_rows[i] if i < len(calm_rows) else None)
               for i in range(min(len(rows), len(calm_rows)), max(len(rows), len(calm_rows)))]
check(header == calm_header and not mismatches, "summary.csv equals the calm run's but for timings",
      f"{len(rows)} rows against {len(calm_rows)}, {len(mismatches)} differ (columns compared: all but {', '.join(sorted(TIMING_COLUMNS))})")
for row, ours, theirs in mismatches[:5]:
    print(f"       row {row + 2}: chaos {ours}\n                calm  {theirs}")
figures["summary_mismatches"] = len(mismatches)

# The artifacts themselves, against the calm run's: the same seeds on the same machine give the same arrays. An .npz
# archive stamps its entries with the time they were written, so archives are compared entry by entry.
def same_content(ours, theirs):
    if not ours.endswith(".npz"):
        return sha256(ours) == sha256(theirs)
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(theirs) as b:
        return sorted(a.namelist()) == sorted(b.namelist()) and all(a.read(n) == b.read(n) for n in a.namelist())


calm_runs = finished_iterations(calm)
compared = identical = 0
different = []
for directory, outcomes in runs.items():
    twin = os.path.join(calm, os.path.relpath(directory, chaos))
    for entry in {f["file"]: f for o in outcomes for f in o.get("files") or []}.values():
        compared += 1
        ours, theirs = os.path.join(directory, entry["file"]), os.path.join(twin, entry["file"])
        if os.path.exists(theirs) and same_content(ours, theirs):
            identical += 1
        else:
            different.append(ours)
check(not different, "every artifact has the calm run's content",
      f"{identical} of {compared} files of finished iterations (npz archives entry by entry)"
      + (f"; differ: {', '.join(different[:5])}" if different else ""))
figures.update(artifacts_compared=compared, artifacts_same_content_as_calm=identical)

# 3. No iteration was trained to completion twice, by the silos' own logs (every process, killed ones included).
started, completed, elsewhere = collections.Counter(), collections.Counter(), collections.Counter()
cancelled_live = trained_on = 0
for log in options.logs:
    text = open(log, encoding="utf-8", errors="replace").read()
    started.update(m.group(1) for m in re.finditer(r"^\s+Training (\S+) on ", text, re.M))
    completed.update(m.group(1) for m in re.finditer(r"^\s+Finished (\S+): best val accuracy", text, re.M))
    elsewhere.update(f"{m.group(2)}/{m.group(1)}" for m in re.finditer(
        r"^\s+Iteration (\d+) of run (\S+) was finished by another process", text, re.M))
    cancelled_live += len(re.findall(r"^\s+Iteration \S+ deactivated while Training \(DirectoryFailure", text, re.M))
    trained_on += len(re.findall(r"^\s+Iteration \S+ lost its grain directory entry while training", text, re.M))
# A worker whose claim found the iteration finished by another process logs "Training" and "Finished" without
# training it: those are taken off. Keys are sweep/run/iteration.
def run_iteration(key):
    return "/".join(key.split("/")[-2:])


trained = {k: c - elsewhere.get(run_iteration(k), 0) for k, c in completed.items()}
attempts = {k: c - elsewhere.get(run_iteration(k), 0) for k, c in started.items()}
twice = {k: c for k, c in trained.items() if c > 1}
retrained = {k: c for k, c in attempts.items() if c > 1}
check(not twice, "no iteration was trained to completion twice (silo logs)",
      f"{sum(trained.values())} completions logged for {len(trained)} iterations; {len(twice)} twice"
      + (f": {', '.join(list(twice)[:5])}" if twice else ""))
figures.update(completions_logged=sum(trained.values()), trained_twice=len(twice),
               retrained_iterations=len(retrained), extra_training_attempts=sum(c - 1 for c in retrained.values()),
               finished_elsewhere=sum(elsewhere.values()), cancelled_on_live_silo=cancelled_live,
               directory_entry_lost_trained_on=trained_on)
check(cancelled_live == 0, "no training on a live silo was cancelled by another silo's death",
      f"{cancelled_live} cancelled, {trained_on} lost their grain directory entry and trained on")
print(f"  info {len(retrained)} iterations were started again after an interrupted attempt "
      f"({sum(c - 1 for c in retrained.values())} extra attempts; {cancelled_live} cancelled on a live silo because their "
      f"grain directory entry died with another silo); {trained_on} trainings on live silos lost their directory entry "
      f"and trained on; {sum(elsewhere.values())} times a silo found its iteration finished by another process and did "
      f"not train it")

# 4. No artifact changed after it was first written: replay the ledger. A file is sealed by the first summary.json that
# lists it; from then on it must match the SHA-256 recorded there and never change or disappear. Files rewritten before
# their iteration finished (an attempt interrupted by a kill, trained again from scratch) are counted apart.
state, sealed, confirmed, violations = {}, {}, set(), []
rewrites_same = rewrites_other = 0
with open(options.events, encoding="utf-8") as stream:
    events = [json.loads(line) for line in stream if line.strip()]
for event in events:
    path, kind = event["path"], event["event"]
    if kind == "gone":
        if path in sealed:
            violations.append(f"{path} disappeared after its iteration finished")
        state.pop(path, None)
        continue
    if path in sealed and path in confirmed:
        violations.append(f"{path} changed after its iteration finished (sha256 {state[path]['sha256'][:12]} -> {event['sha256'][:12]})")
    elif path in sealed and event["sha256"] != sealed[path]:
        violations.append(f"{path} does not match the SHA-256 its summary.json records")
    elif kind == "changed" and path not in sealed:
        if event["sha256"] == state[path]["sha256"]:
            rewrites_same += 1
        else:
            rewrites_other += 1
    state[path] = event
    if path in sealed and event["sha256"] == sealed[path]:
        confirmed.add(path)
    if path.endswith("/summary.json") and path not in sealed:
        run = os.path.dirname(os.path.dirname(path))
        sealed[path] = event["sha256"]
        confirmed.add(path)
        for entry in event.get("files") or []:
            listed = os.path.join(run, entry["file"])
            sealed.setdefault(listed, entry["sha256"])
            if listed in state and state[listed]["sha256"] == sealed[listed]:
                confirmed.add(listed)
never = [p for p in sealed if p not in confirmed]
violations += [f"{p} never matched the SHA-256 its summary.json records" for p in never]
check(not violations, "no artifact changed after it was first written (ledger)",
      f"{len(events)} observations of {len({e['path'] for e in events})} files, {len(sealed)} sealed by finished iterations; "
      f"{len(violations)} violations")
for violation in violations[:10]:
    print(f"       {violation}")
print(f"  info {rewrites_same + rewrites_other} files of unfinished iterations were written again by the retraining "
      f"({rewrites_same} with the same bytes, {rewrites_other} with other bytes)")
figures.update(ledger_files=len({e["path"] for e in events}), sealed_files=len(sealed), artifact_violations=len(violations),
               unfinished_rewrites_same_bytes=rewrites_same, unfinished_rewrites_other_bytes=rewrites_other)

# Every file a finished iteration recorded is still there with its recorded SHA-256.
bad = [os.path.join(d, f["file"]) for d, outcomes in runs.items() for o in outcomes for f in o.get("files") or []
       if not os.path.exists(os.path.join(d, f["file"])) or sha256(os.path.join(d, f["file"])) != f["sha256"]]
check(not bad, "every recorded artifact verifies (SHA-256)", f"{len(bad)} do not" + (f": {', '.join(bad[:5])}" if bad else ""))
leftovers = [p for p in glob.glob(os.path.join(chaos, "runs", "*", "**", ".*.tmp"), recursive=True)]
quarantined = glob.glob(os.path.join(chaos, "runs", "*", "quarantine", "*"))
figures.update(leftover_temporaries=len(leftovers), quarantined=len(quarantined))
print(f"  info {len(leftovers)} temporary files of interrupted writes left behind; {len(quarantined)} quarantined iterations")

with open(options.figures, "w", encoding="utf-8") as out:
    json.dump(figures, out, indent=2)
print("figures:")
for name, value in figures.items():
    print(f"  {name}: {value}")
if failures:
    print(f"FAILED: {', '.join(failures)}")
    sys.exit(1)
print("PASSED")
