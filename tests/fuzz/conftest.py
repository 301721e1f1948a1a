"""The long fuzz run is marked ``slow``: it runs when a marker expression asks for it
(``python -m pytest -m slow tests/fuzz``) and is skipped, with that hint, otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.option.markexpr:  # the caller chose markers (-m slow, -m "not slow", ...)
        return
    skip = pytest.mark.skip(reason="long fuzz run: python -m pytest -m slow tests/fuzz")
    for item in items:
        if item.get_closest_marker("slow") and HERE in item.path.parents:
            item.add_marker(skip)
