"""CPU time spent on this machine while a benchmark ran, and how much of it was ours (Linux).

The machine is shared: a figure measured while something else kept a core busy says little. A
benchmark reads ``Cpu.now()`` before and after and prints what the other processes took.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Cpu:
    wall: float
    busy: float
    """Seconds any core was busy, all processes."""
    ours: float
    """Seconds of this process and its children that have ended (the bot, once stopped)."""
    children: float

    @classmethod
    def now(cls) -> Cpu:
        ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        idle = ticks[3] + ticks[4]  # idle, iowait
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        children = kids.ru_utime + kids.ru_stime
        return cls(
            wall=time.perf_counter(),
            busy=(sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"),
            ours=me.ru_utime + me.ru_stime + children,
            children=children,
        )

    def since(self, start: Cpu) -> str:
        """One line: the wall time, our CPU (the bot's apart) and the others'."""
        wall, ours = self.wall - start.wall, self.ours - start.ours
        others = max(0.0, (self.busy - start.busy) - ours)
        return (
            f"{wall:.0f} s on {os.cpu_count()} cores: bot {self.children - start.children:.1f} "
            f"CPU-s, fake server and people {ours - (self.children - start.children):.1f} "
            f"CPU-s, other processes {others:.1f} CPU-s"
        )
