"""People typing ``@bot query`` as Telegram apps send it: one inline query per keystroke.

Used by ``bench_bot.py inline``. Each person picks a phrase and types it a character at a time
(a query for each prefix, ``think`` seconds apart on average, never under 0.1 s), or pastes an
arXiv id, or opens inline mode with nothing typed; now and then scrolls to the next page of
the last answer; then pauses, and sometimes sends ``/help`` in their chat (the baseline; never
within a second of the last reply, which the bot's pacing of one message a second per chat
would hold back).
A person never waits for an answer before the next keystroke: a query the bot drops because the
person typed on is counted apart, not timed.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

PHRASES = (
    "graph neural network",
    "diffusion model",
    "large language models",
    "reinforcement learning",
    "强化学习",
    "cat:cs.CV transformer",
    '"mixture of experts"',
    "pruning -survey",
)
KEYSTROKE_MIN = 0.1
PAUSE_MEAN = 2.0
"""Seconds a person spends on the results before the next phrase."""


@dataclass
class Typed:
    """What the people measured: answer times (ms), queries dropped, ``/help`` times (ms)."""

    answers: list[float] = field(default_factory=list)
    dropped: int = 0
    sent: int = 0
    baseline: list[float] = field(default_factory=list)


TypeInline = Callable[[int, str, str], tuple[str, Awaitable[float]]]
"""Send an inline query (person, text, offset): its id, and the ms until it is answered."""
Ask = Callable[[int, str], Awaitable[float]]
"""Send a message in the person's chat: the ms until the bot's reply."""


def keystrokes(phrase: str, rng: random.Random, ids: list[str]) -> list[str]:
    """The queries one go sends: every prefix of a phrase, a pasted id, or nothing typed."""
    roll = rng.random()
    if roll < 0.1:
        return [""]
    if roll < 0.2:
        return [rng.choice(ids)]
    return [phrase[:n] for n in range(1, len(phrase) + 1)]


async def person(
    user_id: int,
    *,
    type_inline: TypeInline,
    ask: Ask,
    next_offset: Callable[[str], str | None],
    ids: list[str],
    until: float,
    think: float,
    typed: Typed,
) -> None:
    """One person typing phrases until ``until`` (time.perf_counter)."""
    rng = random.Random(user_id)
    pending: list[Awaitable[float]] = []
    last_reply = 0.0  # the bot sends a chat one message a second: /help waits for that no more
    await asyncio.sleep(rng.uniform(0, PAUSE_MEAN))  # people start apart, not on one signal
    while time.perf_counter() < until:
        last = ""
        for text in keystrokes(rng.choice(PHRASES), rng, ids):
            last, answered = type_inline(user_id, text, "")
            pending.append(answered)
            await asyncio.sleep(KEYSTROKE_MIN + rng.expovariate(1 / think))
        offset = next_offset(last)
        if offset and rng.random() < 0.3:
            pending.append(type_inline(user_id, text, offset)[1])
        await asyncio.sleep(rng.expovariate(1 / PAUSE_MEAN))
        if rng.random() < 0.5 and time.perf_counter() - last_reply >= 1:
            typed.baseline.append(await ask(user_id, "/help"))
            last_reply = time.perf_counter()
    typed.sent += len(pending)
    done = await asyncio.gather(
        *(asyncio.wait_for(a, timeout=10) for a in pending), return_exceptions=True
    )
    typed.answers += [ms for ms in done if isinstance(ms, float)]
    typed.dropped += sum(isinstance(ms, TimeoutError) for ms in done)
