"""JSON request bodies as every layer below can take them: valid Unicode text only.

JSON can spell a lone UTF-16 surrogate (``"\\ud800"``). Python parses it into a str that no UTF-8 encoder, database
or answer accepts, so one in any field failed deep inside the server (a 500), or failed the error answer that
quoted it. Such a body is refused at the door instead, as a body that cannot be read (400).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

from motcua.i18n import tr


def loads(body: bytes) -> Any:
    """``json.loads``; raises UnicodeEncodeError (a ValueError) when a string in it is not valid Unicode."""
    value = json.loads(body)
    # Only an escape can spell a surrogate in UTF-8 JSON; a NUL byte means UTF-16/32, where the test below is blind.
    if b"\\u" in body or b"\x00" in body:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    return value


class _JsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = loads(await self.body())
            except UnicodeEncodeError:
                raise HTTPException(400, tr("Nội dung JSON có chuỗi Unicode không hợp lệ")) from None
        return self._json


class JsonRoute(APIRoute):
    """A route whose JSON body is read with :func:`loads` (``APIRouter(route_class=JsonRoute)``)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            return await handler(_JsonRequest(request.scope, request.receive))

        return route
