"""The classroom's web app (Starlette): routes, tokens, CSRF, bounds.

* ``/instructor/TOKEN``: groups, join links, start/pause/advance/end, live view;
  ``/instructor/TOKEN/debrief``, ``/export.csv``, ``/export.json``,
  ``/groups/N/report.html`` (a group's report, as a download).
* ``/seat/TOKEN``: a student's page; ``/seat/TOKEN/act`` takes a move, a pass, a
  prediction or a why; ``/seat/TOKEN/role``: the seat's role sheet, to print.
* ``.../version``: a number that grows with every change; the pages' script polls it
  and reloads when it moves (unless the reader is typing).

An unknown token is a 404 page (never a 500); a token is compared in constant time.
Every change is a POST carrying a CSRF token (an HMAC of the page's token under the
database's secret); a POST's body is bounded (``MAX_BODY``) and must be a urlencoded
form; each token may POST at most ``RATE`` times in ``RATE_WINDOW`` seconds. Every page
is sent with a content security policy that allows no script but ``/classroom.js``,
no request to another origin, no framing, and no referrer (the URLs hold tokens).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from negotiation.classroom import pages
from negotiation.classroom.export import group_report, to_csv, to_json
from negotiation.classroom.room import Classroom, Entry
from negotiation.model.errors import MoveError
from negotiation.teach.group import INSTRUCTOR, Action, RefusedError

MAX_BODY = 8192
"""Bytes a POST body may have."""
RATE = 30
"""POSTs a seat may make in ``RATE_WINDOW`` seconds (the instructor: ten times as many)."""
RATE_WINDOW = 10.0
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
SCRIPT = """\
(function () {
  var body = document.body, url = body.getAttribute("data-poll");
  if (!url) { return; }
  var seen = body.getAttribute("data-version");
  function busy() {
    var a = document.activeElement;
    return a && (a.tagName === "INPUT" && a.type === "text" && a.value !== "");
  }
  setInterval(function () {
    if (busy()) { return; }
    fetch(url, {cache: "no-store"}).then(function (r) { return r.ok ? r.text() : seen; })
      .then(function (v) { if (v.trim() !== seen) { location.replace(location.pathname); } })
      .catch(function () {});
  }, 1500);
})();
"""
CONTROLS = ("start", "pause", "advance", "end")

Form = dict[str, list[str]]


def _html(text: str, status: int = 200) -> Response:
    return Response(text, status, headers=HEADERS, media_type="text/html")


def _text(text: str, media: str = "text/plain", extra: dict[str, str] | None = None) -> Response:
    return Response(text, 200, headers={**HEADERS, **(extra or {})}, media_type=media)


def _see(url: str) -> Response:
    return RedirectResponse(url, 303, headers=HEADERS)


def _one(form: Form, name: str) -> str:
    return (form.get(name) or [""])[0]


class Limiter:
    """At most ``RATE`` requests per key in ``RATE_WINDOW`` seconds (the wall clock
    lives here, at the edge)."""

    def __init__(self, rate: int = RATE, window: float = RATE_WINDOW) -> None:
        self.rate, self.window = rate, window
        self.seen: dict[str, deque[float]] = {}

    def allow(self, key: str, factor: int = 1) -> bool:
        now = time.monotonic()
        times = self.seen.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) >= self.rate * factor:
            return False
        times.append(now)
        return True


class Site:
    """The handlers, over one classroom."""

    def __init__(self, room: Classroom) -> None:
        self.room = room
        self.limiter = Limiter()

    # -- tokens and forms ------------------------------------------------------------------
    def csrf(self, token: str) -> str:
        key = self.room.secret.encode()
        return hmac.new(key, f"csrf|{token}".encode(), hashlib.sha256).hexdigest()[:32]

    def instructor(self, request: Request) -> str:
        token = str(request.path_params["token"])
        if not secrets.compare_digest(token.encode(), self.room.instructor.encode()):
            raise HTTPException(404, "No such page. Check the link.")
        return token

    def seat(self, request: Request) -> tuple[str, Entry, str]:
        token = str(request.path_params["token"])
        found = self.room.seat(token)
        if found is None:
            raise HTTPException(404, "No such seat. Check the link your instructor gave you.")
        return token, found[0], found[1]

    async def form(self, request: Request, token: str) -> Form:
        """The POSTed form, checked: rate, type, size, CSRF token."""
        if not self.limiter.allow(token, 10 if token == self.room.instructor else 1):
            raise HTTPException(429, "Too many requests; wait a few seconds.")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            raise HTTPException(415, "Expected a form.")
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_BODY:
            raise HTTPException(413, f"A form may have at most {MAX_BODY} bytes.")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise HTTPException(413, f"A form may have at most {MAX_BODY} bytes.")
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=64)
        except (UnicodeDecodeError, ValueError):
            raise HTTPException(400, "The form could not be read.") from None
        if not hmac.compare_digest(_one(form, "csrf").encode(), self.csrf(token).encode()):
            raise HTTPException(403, "The form's security token is wrong; reload the page.")
        return form

    # -- the instructor ----------------------------------------------------------------------
    async def instructor_page(self, request: Request) -> Response:
        token = self.instructor(request)
        return _html(pages.instructor_page(self.room, str(request.base_url), self.csrf(token)))

    async def instructor_version(self, request: Request) -> Response:
        self.instructor(request)
        return _text(str(self.room.version))

    async def debrief(self, request: Request) -> Response:
        self.instructor(request)
        return _html(pages.debrief_page(self.room))

    async def export_csv(self, request: Request) -> Response:
        self.instructor(request)
        name = {"Content-Disposition": 'attachment; filename="classroom.csv"'}
        return _text(to_csv(self.room), "text/csv", name)

    async def export_json(self, request: Request) -> Response:
        self.instructor(request)
        return _text(to_json(self.room), "application/json")

    async def report(self, request: Request) -> Response:
        self.instructor(request)
        gid = int(request.path_params["gid"])
        if gid not in self.room.groups:
            raise HTTPException(404, "No such group.")
        name = {"Content-Disposition": f'attachment; filename="group-{gid}.html"'}
        return _text(group_report(self.room.groups[gid]), "text/html", name)

    async def create(self, request: Request) -> Response:
        token = self.instructor(request)
        form = await self.form(request, token)
        seats = tuple(form.get("party", []))
        strategic = []
        for key, values in form.items():
            if key.startswith("as-") and values[0] != "script":
                party = key[3:]
                if values[0] != "strategy":
                    raise HTTPException(400, f"Unknown choice {values[0]!r} for {party!r}.")
                if party not in seats:
                    strategic.append(party)
        predict = _one(form, "predict") == "on"
        try:
            entry = self.room.create(_one(form, "name"), seats, tuple(strategic), predict)
        except MoveError as e:
            notice = pages.Notice("The group was not created", (str(e),), "refused")
            page = pages.instructor_page(self.room, str(request.base_url), self.csrf(token), notice)
            return _html(page, 400)
        return _see(f"/instructor/{token}#group-{entry.id}")

    async def control(self, request: Request) -> Response:
        token = self.instructor(request)
        gid = int(request.path_params["gid"])
        if gid not in self.room.groups:
            raise HTTPException(404, "No such group.")
        form = await self.form(request, token)
        do = _one(form, "do")
        if do not in CONTROLS:
            raise HTTPException(400, f"Unknown action {do!r}.")
        try:
            await self.room.act_async(gid, Action(INSTRUCTOR, do))  # type: ignore[arg-type]
        except RefusedError as e:
            notice = pages.Notice(f"{self.room.groups[gid].name}: refused", e.reasons, "refused")
            page = pages.instructor_page(self.room, str(request.base_url), self.csrf(token), notice)
            return _html(page, 409)
        return _see(f"/instructor/{token}#group-{gid}")

    # -- the student ----------------------------------------------------------------------------
    async def seat_page(self, request: Request) -> Response:
        token, entry, party = self.seat(request)
        number = request.query_params.get("page", "0")
        page = int(number) if number.isdigit() and len(number) < 7 else 0
        return _html(pages.seat_page(self.room, entry, party, token, self.csrf(token), None, page))

    async def seat_role(self, request: Request) -> Response:
        token, entry, party = self.seat(request)
        return _html(pages.seat_role_page(entry, party, token))

    async def seat_version(self, request: Request) -> Response:
        _, entry, _ = self.seat(request)
        return _text(str(len(entry.group.actions)))

    async def act(self, request: Request) -> Response:
        token, entry, party = self.seat(request)
        form = await self.form(request, token)
        do, move = _one(form, "do"), _one(form, "move").strip()
        if do == "why":
            notice = self._why(entry, party, move)
            page = pages.seat_page(self.room, entry, party, token, self.csrf(token), notice)
            return _html(page)
        if do not in ("move", "pass", "predict"):
            raise HTTPException(400, f"Unknown action {do!r}.")
        try:
            await self.room.act_async(entry.id, Action(party, do, move))  # type: ignore[arg-type]
        except RefusedError as e:
            notice = pages.Notice(f"Refused: {move or do}", e.reasons, "refused")
            page = pages.seat_page(self.room, entry, party, token, self.csrf(token), notice)
            return _html(page, 409)
        return _see(f"/seat/{token}")

    def _why(self, entry: Entry, party: str, move: str) -> pages.Notice:
        try:
            reasons = entry.group.why(party, move)
        except MoveError as e:
            return pages.Notice(f"Why: {move}", (str(e),), "refused")
        if reasons:
            return pages.Notice(f"Not allowed now: {move}", reasons, "refused")
        return pages.Notice(f"Allowed now: {move}", (), "allowed")

    # -- the rest -------------------------------------------------------------------------------
    async def home(self, request: Request) -> Response:
        text = "<h1>Classroom</h1><p>Open the link your instructor gave you.</p>"
        return _html(pages.layout("Classroom", text))

    async def script(self, request: Request) -> Response:
        return _text(SCRIPT, "text/javascript")


async def _error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _html(pages.error_page(exc.status_code, exc.detail), exc.status_code)


def create_app(room: Classroom) -> Starlette:
    """The classroom's ASGI app."""
    s = Site(room)
    get: list[tuple[str, Callable[[Request], Awaitable[Response]]]] = [
        ("/", s.home),
        ("/classroom.js", s.script),
        ("/instructor/{token}", s.instructor_page),
        ("/instructor/{token}/version", s.instructor_version),
        ("/instructor/{token}/debrief", s.debrief),
        ("/instructor/{token}/export.csv", s.export_csv),
        ("/instructor/{token}/export.json", s.export_json),
        ("/instructor/{token}/groups/{gid:int}/report.html", s.report),
        ("/seat/{token}", s.seat_page),
        ("/seat/{token}/version", s.seat_version),
        ("/seat/{token}/role", s.seat_role),
    ]
    post: list[tuple[str, Callable[[Request], Awaitable[Response]]]] = [
        ("/instructor/{token}/groups", s.create),
        ("/instructor/{token}/groups/{gid:int}", s.control),
        ("/seat/{token}/act", s.act),
    ]
    routes = [Route(path, f, methods=["GET"]) for path, f in get]
    routes += [Route(path, f, methods=["POST"]) for path, f in post]
    return Starlette(routes=routes, exception_handlers={HTTPException: _error})
