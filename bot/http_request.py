"""python-telegram-bot's networking backend on aiohttp instead of httpx.

Every reply is one HTTP request, and with httpx the request cost the bot more CPU than many
of the answers it carried: httpcore checks every pooled connection with system calls for each
request it places, and its pool bookkeeping is pure Python. aiohttp parses HTTP in C and keeps
its pool in a dict: the bot's CPU per /help dropped from 3.1 ms to 1.3 ms (README, "Measured").
"""

from __future__ import annotations

import io
import ssl

import aiohttp
import certifi
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

Proxy = tuple[URL | None, aiohttp.BasicAuth | None]
_JSON = {"Content-Type": "application/json"}
"""Parameters go as a JSON object of strings (PTB's ``json_parameters``), which the Bot API reads
as it reads a form (tdlib's ``HttpReader::parse_json_parameters``); form-encoding long HTML texts
quoted every byte in Python and cost the bot more CPU than the JSON encoder does."""


def tls_context() -> ssl.SSLContext:
    """Server certificates checked against certifi's CA bundle, as httpx does: a slim container
    image may have no system CA store."""
    return ssl.create_default_context(cafile=certifi.where())


class AiohttpRequest(BaseRequest):
    """One aiohttp session with at most ``connections`` connections to the Bot API.

    Timeouts follow PTB's defaults (5 s to connect and to read, 1 s to wait for a free
    connection); aiohttp has no write timeout, so a stalled write ends with the read timeout.
    Proxies come from the environment (``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``) as with
    httpx, looked up once per server rather than on every request. A request with a file (an
    export) goes as ``multipart/form-data``, the only way the Bot API takes an upload; as the
    body may take a while to write, it has an overall limit too: PTB's ``write_timeout``, 20 s
    for uploads by default as in PTB's own HTTPXRequest, on top of the others.
    """

    def __init__(
        self,
        *,
        connections: int,
        read_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        pool_timeout: float = 1.0,
        media_write_timeout: float = 20.0,
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[URL, Proxy] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, ssl=tls_context()),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        upload = request_data is not None and request_data.contains_files
        write = (
            self._media_write_timeout if isinstance(write_timeout, DefaultValue) else write_timeout
        )
        limits = [limit for limit in (connect, pool, write, read) if limit is not None]
        timeout = aiohttp.ClientTimeout(
            total=sum(limits) if upload and len(limits) == 4 else None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        target = URL(url)
        proxy, proxy_auth = self._proxy(target.origin())
        try:
            async with self._session.request(
                method,
                target,
                data=_body(request_data),
                headers=_JSON if request_data and not upload else None,
                timeout=timeout,
                proxy=proxy,
                proxy_auth=proxy_auth,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientConnectorError as err:
            raise NetworkError(f"cannot connect to {err.host}:{err.port}: {err.strerror}") from err
        except aiohttp.ClientError as err:
            # Some aiohttp errors quote the URL, which holds the token: name the type only.
            raise NetworkError(f"aiohttp.{type(err).__name__}") from err

    def _proxy(self, origin: URL) -> Proxy:
        if origin not in self._proxies:
            try:
                self._proxies[origin] = get_env_proxy_for_url(origin)
            except LookupError:
                self._proxies[origin] = (None, None)
        return self._proxies[origin]


def _body(request_data: RequestData | None) -> bytes | aiohttp.FormData | None:
    """The parameters as JSON; with a file, every parameter and the file as form parts.

    A file goes as a stream (``BytesIO``): aiohttp writes raw bytes of a megabyte or more in one
    call that holds the event loop, and warns about it.
    """
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_payload
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (file_name, content, mime_type) in request_data.multipart_data.items():
        stream = io.BytesIO(content) if isinstance(content, bytes) else content
        form.add_field(name, stream, filename=file_name, content_type=mime_type)
    return form
