#!/usr/bin/env python3
"""Whole-process wall time of several commands, run round-robin (A B C A B C ...) so that the drift of a noisy
shared VM lands on every command alike; hyperfine runs each command's repetitions back to back, and on this machine
two such runs a minute apart differed by 20 %.

  startup-interleaved.py --runs 60 --out results/startup-interleaved.md NAME=COMMAND [NAME=COMMAND ...]

The first command is the baseline of the ratios. Output is discarded; a command that fails is reported, not timed.
"""
import argparse, shlex, statistics, subprocess, sys, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--out", required=True)
    ap.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    a = ap.parse_args()
    cmds = []
    for c in a.commands:
        name, sep, cmd = c.partition("=")
        if not sep or not cmd:
            ap.error(f"expected NAME=COMMAND, not {c!r}")
        cmds.append((name, shlex.split(cmd)))
    def run(argv):
        start = time.perf_counter()
        rc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        return (time.perf_counter() - start) * 1000, rc
    for _, argv in cmds:
        for _ in range(a.warmup):
            run(argv)
    times = {name: [] for name, _ in cmds}
    for _ in range(a.runs):
        for name, argv in cmds:
            ms, rc = run(argv)
            if rc != 0:
                sys.exit(f"{name} exited with {rc}")
            times[name].append(ms)
    base = statistics.median(times[cmds[0][0]])
    lines = [f"Interleaved, {a.runs} rounds ({a.warmup} warm-up runs each); wall time per process, ms.", "",
             "| command | median | p10 | p90 | mean | × " + cmds[0][0] + " (medians) |", "|---|---|---|---|---|---|"]
    for name, _ in cmds:
        v = sorted(times[name])
        q = lambda f: v[min(len(v) - 1, int(f * len(v)))]
        lines.append(f"| {name} | {statistics.median(v):.1f} | {q(0.1):.1f} | {q(0.9):.1f} | {statistics.mean(v):.1f} | {statistics.median(v) / base:.2f} |")
    text = "\n".join(lines) + "\n"
    with open(a.out, "w") as f:
        f.write(text)
    print(text, end="")

if __name__ == "__main__":
    main()
