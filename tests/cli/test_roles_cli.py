"""``negotiation roles``: one printable role sheet per party, written to a folder."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import invoke

LABOUR = "labour-contract-2026-interests"


def test_roles_writes_one_sheet_per_party(tmp_path: Path) -> None:
    out = tmp_path / "sheets"
    result = invoke("roles", "-s", LABOUR, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "conciliation_service.html",
        "employer.html",
        "union.html",
    ]
    union = (out / "union.html").read_text(encoding="utf-8")
    name = "Riverside Transport Workers&#x27; Union (invented)"
    assert f"<h1>Role sheet: {name} <span" in union and f"Private: for {name} only" in union
    assert "@media print" in union
    assert "Your BATNA (what you get with no agreement" in union
    assert "Assumption: Invented for teaching; no source states the union&#x27;s" in union
    assert union.count("Your interests in") == 1  # its own, not the employer's
    assert f"wrote {out / 'union.html'}" in result.stderr


def test_roles_for_one_party_and_never_over_an_existing_sheet(tmp_path: Path) -> None:
    out = tmp_path / "sheets"
    assert invoke("roles", "-s", LABOUR, "--party", "union", "-o", str(out)).exit_code == 0
    assert [p.name for p in out.iterdir()] == ["union.html"]
    (out / "union.html").write_text("my notes", encoding="utf-8")
    again = invoke("roles", "-s", LABOUR, "-o", str(out))
    assert again.exit_code == 2
    assert "union.html exists; use --force" in again.stderr and "Traceback" not in again.output
    assert (out / "union.html").read_text(encoding="utf-8") == "my notes"
    assert not (out / "employer.html").exists()  # nothing written
    forced = invoke("roles", "-s", LABOUR, "-o", str(out), "--force")
    assert forced.exit_code == 0
    assert "Role sheet: Riverside" in (out / "union.html").read_text(encoding="utf-8")


def test_roles_refuses_an_unknown_party(tmp_path: Path) -> None:
    result = invoke("roles", "-s", LABOUR, "-p", "mars", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "unknown party 'mars' (parties: union, employer" in result.stderr
    assert list(tmp_path.iterdir()) == []
