"""Measure how soon the command line answers: ``--help``, ``stats`` and ``search`` as run by hand.

Usage: python bench/bench_cli.py --db 100k.db [--runs 15] [--query "graph neural network"]

Each command runs as a real process through the installed ``digestbot`` script, ``--runs`` times,
round by round beside ``python -c pass`` (the interpreter's own start-up, the baseline), so a busy
machine slows both alike; the figures are wall-clock medians, with the fastest and slowest run, and
their ratio to the baseline's median. A first round, not counted, leaves what a user's second run
finds: the files in the page cache and the bytecode in ``__pycache__`` (written even when
``PYTHONDONTWRITEBYTECODE`` is set here, or every run would compile the changed modules again).
Then ``python -X importtime`` says, per command, what each package our modules import costs (its
own imports included) and what our own modules cost, and which of the heavy packages it loaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TARGET_MS = {"--help": 300, "stats": 300, "search": 500}
"""The start-up targets of issue 9, by sub-command."""
OWN = ("bot", "handlers", "storage")
"""Our packages: time spent in their modules is ours, what they import is a dependency's."""
HEAVY = ("telegram", "aiohttp", "httpx", "bs4", "tqdm", "apscheduler")
"""Packages only ``run``, ``deliver``, ``ingest`` and ``parse`` need."""


def commands(query: str) -> dict[str, list[str]]:
    script = Path(sys.executable).with_name("digestbot")
    if not script.exists():
        sys.exit(f"no digestbot script beside {sys.executable}; run pip install -e . first")
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "digestbot --help": [str(script), "--help"],
        "digestbot stats": [str(script), "stats"],
        f"digestbot search {query!r}": [str(script), "search", query],
    }


def wall_clock(argv: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def bench_start_up(runs: int, query: str, env: dict[str, str], cwd: str) -> None:
    timed = commands(query)
    timings: dict[str, list[float]] = {name: [] for name in timed}
    for argv in timed.values():
        wall_clock(argv, env, cwd)
    for _ in range(runs):
        for name, argv in timed.items():
            timings[name].append(wall_clock(argv, env, cwd))
    baseline = statistics.median(timings["python -c pass"])
    print(f"start-up, wall clock, median of {runs} runs (fastest-slowest):")
    for name, values in timings.items():
        median = statistics.median(values)
        line = f"  {name:<40} {median:6.0f} ms ({min(values):.0f}-{max(values):.0f})"
        if name != "python -c pass":
            target = TARGET_MS[timed[name][1]]
            line += f" = {median / baseline:4.1f}x python -c pass; target {target} ms"
        print(line)


def import_times(args: list[str], env: dict[str, str], cwd: str) -> tuple[Counter[str], set[str]]:
    """Milliseconds of import per package our modules import directly, its own imports included
    (our modules' own time under "ours"), and every top-level package imported.

    ``-X importtime`` lists each module after the ones it imported, indented one step deeper, so
    read backwards each line's importer is the nearest line above it in the stack of ancestors.
    """
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot.cli", *args],
        env=env,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    spent: Counter[str] = Counter()
    imported: set[str] = set()
    ancestors: list[tuple[int, str]] = []
    for line in reversed(done.stderr.splitlines()):
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        depth, root = len(name) - len(name.lstrip()), name.strip().split(".")[0]
        while ancestors and ancestors[-1][0] >= depth:
            ancestors.pop()
        importer = ancestors[-1][1] if ancestors else None
        imported.add(root)
        if root in OWN:
            spent["ours"] += int(own)
        elif importer in OWN:
            spent[root] += int(cumulative)
        ancestors.append((depth, root))
    return spent, imported


def bench_imports(query: str, env: dict[str, str], cwd: str) -> None:
    print("imports (python -X importtime -m bot.cli ...): what our modules import, with its own")
    print("imports, and our modules' own time (ours):")
    for args in (["--help"], ["stats"], ["search", query]):
        spent, imported = import_times(args, env, cwd)
        top = ", ".join(f"{name} {us // 1000}" for name, us in spent.most_common(5))
        heavy = [name for name in HEAVY if name in imported]
        print(
            f"  {' '.join(args):<30} {top} ms; of {', '.join(HEAVY)}: {', '.join(heavy) or 'none'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True, help="a database built by bench_core")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--query", default="graph neural network")
    args = parser.parse_args()
    if not args.db.is_file():
        sys.exit(f"no database at {args.db}; build one with bench/bench_core.py --db {args.db}")
    skip = ("TELEGRAM_", "DIGEST", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env["DIGESTBOT_DB"] = str(args.db.resolve())
    with tempfile.TemporaryDirectory() as cwd:  # no .env of the developer's in the way
        bench_start_up(args.runs, args.query, env, cwd)
        bench_imports(args.query, env, cwd)


if __name__ == "__main__":
    main()
