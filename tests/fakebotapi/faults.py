"""Injected failures: error answers and dropped connections, per method and optionally per chat."""

from dataclasses import dataclass
from typing import Any

from .errors import ApiError


@dataclass
class Fault:
    """The next ``times`` matching calls fail with ``error``, or lose their connection if None."""

    method: str
    chat_id: int | str | None
    times: int
    error: ApiError | None

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method != method.lower():
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


class Faults:
    """Faults in the order they were armed; the first matching one is used up first."""

    def __init__(self) -> None:
        self.armed: list[Fault] = []

    def arm(self, fault: Fault) -> None:
        if fault.times < 1:
            raise ValueError("a fault must fire at least once")
        self.armed.append(fault)

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.armed:
            if fault.matches(method, params):
                fault.times -= 1
                if fault.times == 0:
                    self.armed.remove(fault)
                return fault
        return None
