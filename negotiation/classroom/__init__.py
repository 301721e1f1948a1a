"""The classroom: students negotiate in the browser, the instructor runs and debriefs.

An edge of the package (the only importer of a web framework): a Starlette app served
by uvicorn over the pure group sessions of ``negotiation.teach.group``, with every
accepted action stored in SQLite (``store``) so that a restarted server resumes every
group. ``negotiation classroom`` (``negotiation.cli.classroom``) starts it; it needs
the ``classroom`` extra (``pip install 'negotiation[classroom]'``).

Modules: ``store`` (the SQLite file), ``room`` (the groups in memory and the one way to
change them), ``export`` (outcomes and histories as JSON and CSV), ``pages`` (HTML),
``app`` (routes, tokens, CSRF, bounds), ``serve`` (below: open, then run uvicorn).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from negotiation.classroom.room import Classroom
from negotiation.classroom.store import Store, StoreError


def open_classroom(db: Path, scenario: str) -> Classroom:
    """The classroom of a database file (created if new), every group replayed;
    ``StoreError`` (or a loader error) if the file or the scenario cannot be used."""
    store = Store(db)
    try:
        return Classroom(store, scenario)
    except BaseException:
        store.close()
        raise


def serve(
    room: Classroom, host: str, port: int, ready: Callable[[int], None],
    stop: Callable[[], bool] | None = None,
) -> None:
    """Serve the classroom until interrupted; ``ready(port)`` is called once the socket
    listens (with the port bound, which may differ from ``port`` when it is 0). ``stop``
    (the command's record of signals) ends the server as soon as it has started, when
    a signal came while it was starting, before uvicorn took over the signals."""
    import asyncio  # noqa: PLC0415  (the server's modules load only when it runs)

    import uvicorn  # noqa: PLC0415

    from negotiation.classroom.app import create_app  # noqa: PLC0415

    config = uvicorn.Config(
        create_app(room), host=host, port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)

    async def run() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        if server.started:
            bound = server.servers[0].sockets[0].getsockname()[1]
            ready(int(bound))
            if stop is not None and stop():
                server.should_exit = True
        await task

    try:
        asyncio.run(run())
    finally:
        room.store.close()


__all__ = ["Classroom", "Store", "StoreError", "open_classroom", "serve"]
