"""The classroom's tests. They need the ``classroom`` extra: without Starlette, importing
any module of this folder skips it (this package is imported first), as the whole folder
was skipped before. The root ``conftest.py`` imports Starlette only inside its fixtures."""

import pytest

pytest.importorskip("starlette", reason="the classroom extra is not installed")
