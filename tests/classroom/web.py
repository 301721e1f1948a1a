"""The classroom tests' side of the web pages: the CSRF token and seat links on a page,
the instructor over a test client (``Teacher``), and a student's POST (``act``). The
rooms and clients they act on are the root ``conftest.py``'s fixtures (``open_room``,
``seed_room``, ``room_client``, ``teacher``) and ``client_of`` a room."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from negotiation.classroom import Classroom
from negotiation.classroom.app import create_app

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
SEAT = re.compile(r'href="/seat/([A-Za-z0-9_-]+)"')


def csrf_of(page: str) -> str:
    found = CSRF.search(page)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def client_of(room: Classroom) -> TestClient:
    """Starlette's test client of a classroom's web app (redirects are not followed)."""
    return TestClient(create_app(room), follow_redirects=False)


class Teacher:
    """The instructor's side, over a test client."""

    def __init__(self, client: TestClient, room: Classroom) -> None:
        self.client, self.room = client, room
        self.url = f"/instructor/{room.instructor}"

    def csrf(self) -> str:
        return csrf_of(self.client.get(self.url).text)

    def create(self, name: str, *parties: str) -> dict[str, str]:
        """A new group; its seats' tokens by party."""
        data = {"csrf": self.csrf(), "name": name, "party": list(parties)}
        r = self.client.post(f"{self.url}/groups", data=data)
        assert r.status_code == 303, r.text
        gid = int(r.headers["location"].rsplit("-", 1)[1])
        return dict(self.room.groups[gid].row.tokens)

    def control(self, gid: int, do: str) -> int:
        data = {"csrf": self.csrf(), "do": do}
        return self.client.post(f"{self.url}/groups/{gid}", data=data).status_code


def act(client: TestClient, token: str, do: str, move: str = "") -> tuple[int, str]:
    """A student's POST from their page: (status, page)."""
    csrf = csrf_of(client.get(f"/seat/{token}").text)
    r = client.post(f"/seat/{token}/act", data={"csrf": csrf, "do": do, "move": move})
    return r.status_code, r.text
