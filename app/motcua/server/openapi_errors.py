"""The refusals every route of a server can answer, written into its OpenAPI document.

Some answers come from no route's own code: the guard (413 a body too large, 429 too many requests), the token
check (401, 403), reading a JSON body (400 invalid Unicode, 422 invalid shape). They are added here to every
operation they apply to, so that the document lists each status a route can return (schemathesis checks it);
what a route's use case refuses (404, 409 …) stays on the route (``responses=``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DETAIL = {
    "type": "object",
    "properties": {"detail": {"description": "why, for a person (translated), or FastAPI's list of field errors"}},
}
REFUSAL = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    "description": "a refused use case: its kind and the reason, for a person",
}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _answer(description: str, schema: dict[str, Any], headers: Iterable[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        out["headers"] = {h: {"schema": {"type": "integer"}, "description": "seconds to wait"} for h in headers}
    return out


GUARD = {
    "413": _answer("the request body is larger than this route family allows", DETAIL),
    "429": _answer("too many requests from this device or address; retry after Retry-After", DETAIL, ["Retry-After"]),
}
AUTH = {
    "401": _answer("no token, or a token that is not valid or was revoked", DETAIL),
    "403": _answer("the token's role or counter may not do this", DETAIL),
}
JSON_BODY = {
    "400": _answer("the JSON body cannot be read (invalid Unicode) or the use case refused it", DETAIL),
    "422": _answer("the request is not valid", DETAIL),
}
USE_CASE = {
    "400": _answer("refused by the use case", REFUSAL),
    "404": _answer("not found", REFUSAL),
    "409": _answer("conflict: a closed or paused service, a ticket in another state, a limit reached", REFUSAL),
    "422": _answer("invalid input", REFUSAL),
}


def refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route whose use case can refuse with these statuses."""
    return {code: USE_CASE[str(code)] for code in codes}


def document_errors(schema: dict[str, Any], public: Iterable[str] = ()) -> dict[str, Any]:
    """Add the guard's, the token check's and the JSON body's answers to every operation of ``schema`` (in place);
    paths in ``public`` take no token."""
    open_paths = set(public)
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            answers = op.setdefault("responses", {})
            extra = dict(GUARD)
            if path not in open_paths:
                extra.update(AUTH)
            if "application/json" in op.get("requestBody", {}).get("content", {}):
                extra.update(JSON_BODY)
            if op.get("parameters") or op.get("requestBody"):
                extra.setdefault("422", JSON_BODY["422"])
            for code, answer in extra.items():
                answers.setdefault(code, answer)
    return schema
