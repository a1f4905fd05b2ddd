"""Webhooks: setWebhook, deleteWebhook, getWebhookInfo, and the posts Telegram makes meanwhile.

While a webhook is set, each pending update is POSTed as JSON with the secret in
``X-Telegram-Bot-Api-Secret-Token``. Telegram posts to the public HTTPS URL; a test has no
certificate for it, so the fake plays the reverse proxy too: it posts to ``target`` (a loopback
``http://127.0.0.1:PORT`` the test gives it), keeping the registered URL's path.

As Telegram's server does, the fake keeps the updates of one chat in order (one post in flight
per chat, the next only once it was answered 2xx), posts for different chats at once up to
``max_connections``, and posts an update again while its answer is anything but 2xx.
"""

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import telegram

from .errors import ApiError, bad_request
from .params import Params
from .updates import Signal, UpdateQueue

Json = dict[str, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PORTS = frozenset({443, 80, 88, 8443})
SECRET = re.compile(r"[A-Za-z0-9_-]*")
UPDATE_TYPES = frozenset(telegram.Update.ALL_TYPES)
DEFAULT_MAX_CONNECTIONS = 40
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
RETRY_SECONDS = 0.05
"""The pause before an update whose post failed is posted again to the same place (Telegram's
grows). No test waits for it: a test that fixes the target sees the post made at once."""
POST_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class Webhook:
    url: str
    secret: str | None = field(repr=False)
    max_connections: int
    allowed_updates: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Post:
    """One webhook post: the update it carried and the answer's status (None: no answer)."""

    update_id: int
    status: int | None


def parse_set_webhook(params: Params) -> Webhook | None:
    """The webhook ``params`` ask for (None for an empty url), or Telegram's 400."""
    url = str(params.get("url") or "")
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    if port is not None and port not in PORTS:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    secret = params.get("secret_token")
    if secret is not None:
        secret = str(secret)
        if not SECRET.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        if len(secret) > 256:
            raise bad_request("secret token is too long")
        secret = secret or None  # an empty secret_token sets none
    return Webhook(url, secret, _max_connections(params), _allowed_updates(params))


def _max_connections(params: Params) -> int:
    value = params.get("max_connections", DEFAULT_MAX_CONNECTIONS)
    if not isinstance(value, int) or not 1 <= value <= 100:
        raise bad_request("max_connections must be between 1 and 100")
    return value


def _allowed_updates(params: Params) -> tuple[str, ...] | None:
    """A JSON list of update types. Telegram ignores a malformed one silently (a bot then gets
    the default kinds without noticing); the fake refuses it so such a bug shows."""
    value = params.get("allowed_updates")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
        raise bad_request("allowed_updates must be a JSON-serialized list of strings")
    unknown = sorted(set(value) - UPDATE_TYPES)
    if unknown:
        raise bad_request(f"unsupported update type {unknown[0]!r} in allowed_updates")
    return tuple(value)


def queue_key(update: Json) -> object:
    """Updates of one chat are posted one after the other; others may overtake them."""
    payload = next(value for key, value in update.items() if key != "update_id")
    if isinstance(payload, dict):
        chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
        if isinstance(chat, dict) and "id" in chat:
            return ("chat", chat["id"])
        user = payload.get("from")
        if isinstance(user, dict) and "id" in user:
            return ("user", user["id"])
    return ("update", update["update_id"])


class Webhooks:
    """The webhook state and the task that posts pending updates while one is set."""

    def __init__(self, updates: UpdateQueue, changed: Signal, now: Callable[[], float]) -> None:
        self.updates = updates
        self.changed = changed
        self.now = now
        self.webhook: Webhook | None = None
        self.posts: list[Post] = []
        self._target: str | None = None
        self._in_flight: dict[int, object] = {}  # update_id -> its queue key
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._runner: asyncio.Task[None] | None = None
        self._closing = False
        self.last_error: tuple[int, str] | None = None

    @property
    def target(self) -> str | None:
        return self._target

    @target.setter
    def target(self, value: str | None) -> None:
        self._target = value.rstrip("/") if value else None
        self.changed.notify()

    def set_webhook(self, params: Params) -> bool:
        webhook = parse_set_webhook(params)
        if params.get("drop_pending_updates"):
            self.updates.pending.clear()
        self.webhook = webhook
        if webhook is not None and webhook.allowed_updates is not None:
            # As with getUpdates, a list left out keeps the one given before.
            self.updates.allowed = frozenset(webhook.allowed_updates) or None
        self.changed.notify()
        return True

    def delete_webhook(self, params: Params) -> bool:
        if params.get("drop_pending_updates"):
            self.updates.pending.clear()
        self.webhook = None
        self.changed.notify()
        return True

    def info(self, params: Params) -> Json:
        """getWebhookInfo: the url is empty while none is set."""
        info: Json = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates.ready(len(self.updates.pending))),
        }
        if self.webhook is not None:
            info["max_connections"] = self.webhook.max_connections
            if self.webhook.allowed_updates is not None:
                info["allowed_updates"] = list(self.webhook.allowed_updates)
        if self.last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.last_error
        return info

    def refuse_polling(self) -> None:
        """getUpdates while a webhook is set: Telegram's 409."""
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_ACTIVE)

    def delivered(self, update_id: int) -> int:
        """How many posts of the update were answered 2xx."""
        return sum(1 for p in self.posts if p.update_id == update_id and _ok(p.status))

    def start(self) -> None:
        self._runner = asyncio.ensure_future(self._run())

    async def close(self) -> None:
        self._closing = True
        self.changed.notify()
        if self._runner is not None:
            await self._runner
            self._runner = None
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _due(self) -> list[Json]:
        """Pending updates to post now: the first of each chat not in flight, within the
        webhook's max_connections."""
        webhook = self.webhook
        if webhook is None or self._target is None:
            return []
        room = webhook.max_connections - len(self._in_flight)
        busy = set(self._in_flight.values())
        due: list[Json] = []
        for update in self.updates.ready(len(self.updates.pending)):
            if room <= len(due):
                break
            key = queue_key(update)
            if update["update_id"] in self._in_flight or key in busy:
                continue
            busy.add(key)
            due.append(update)
        return due

    async def _run(self) -> None:
        while not self._closing:
            await self.changed.wait_until(lambda: self._closing or bool(self._due()), 3600.0)
            if self._closing:
                return
            for update in self._due():
                self._in_flight[update["update_id"]] = queue_key(update)
                task = asyncio.ensure_future(self._post(update))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def _post(self, update: Json) -> None:
        webhook, target, update_id = self.webhook, self._target, update["update_id"]
        assert webhook is not None
        assert target is not None
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=POST_TIMEOUT),
                connector=aiohttp.TCPConnector(limit=100),
            )
        parts = urlsplit(webhook.url)
        url = target + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"Content-Type": "application/json"}
        if webhook.secret is not None:
            headers[SECRET_HEADER] = webhook.secret
        status: int | None = None
        try:
            async with self._session.post(url, data=json.dumps(update), headers=headers) as r:
                status = r.status
                await r.read()
        except (aiohttp.ClientError, TimeoutError):
            status = None
        self.posts.append(Post(update_id, status))
        if _ok(status):
            self.updates.pending = [u for u in self.updates.pending if u["update_id"] != update_id]
        else:
            reason = "Connection refused"
            if status is not None:
                reason = f"Wrong response from the webhook: {status}"
            self.last_error = (int(self.now()), reason)
            # Posted again as soon as the test points the fake elsewhere or sets the webhook
            # anew; otherwise after a pause, as Telegram does (and the fake closes at once).
            await self.changed.wait_until(
                lambda: self._closing or self._target != target or self.webhook is not webhook,
                RETRY_SECONDS,
            )
        del self._in_flight[update_id]
        self.changed.notify()


def _ok(status: int | None) -> bool:
    return status is not None and 200 <= status < 300
