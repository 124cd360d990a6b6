"""scripts/conformance_gate.py on small fabricated result folders: what counts
as passing, and when a run fails against its baseline."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ..paths import ROOT


def _load() -> ModuleType:
    # A script, not a package module: load it from its file.
    spec = importlib.util.spec_from_file_location("conformance_gate", ROOT / "scripts" / "conformance_gate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


g = _load()

STAMP = "2026-01-02T03-04-05-678Z"
BASELINE = """\
# Known failures.
"0.1.16":
  # A comment line of its own.
  - tools-call-sampling          # needs a request to the client
  - server-sse-polling: [jco]    # only on jco
"0.2.0-alpha.12/2025-11-25": []
"0.2.0-alpha.12/2026-07-28":
  - server-stateless: [jco]      # a reason
0.2.0-alpha.12/requirements-2026-07-28: []
"""


def check(status: str, id: str = "c", message: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": id, "name": id, "description": f"{id} check", "status": status}
    if message is not None:
        entry["errorMessage"] = message
    return entry


def write(results: Path, scenario: str, checks: list[dict[str, Any]] | str | None, stamp: str = STAMP) -> Path:
    """A scenario folder as the suite writes it; None leaves out checks.json."""
    folder = results / f"server-{scenario}-{stamp}"
    folder.mkdir(parents=True)
    if checks is not None:
        (folder / "checks.json").write_text(checks if isinstance(checks, str) else json.dumps(checks))
    return folder


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str, mode: str = "wasmtime-reuse",
        suite: str = "0.1.16") -> tuple[int, str]:
    baseline = tmp_path / "baseline.yml"
    if not baseline.exists():
        baseline.write_text(BASELINE)
    code = g.main([str(tmp_path / "results"), "--baseline", str(baseline), "--suite", suite, "--mode", mode,
                   *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# What counts as passing.

def test_success_only_passes(tmp_path: Path) -> None:
    write(tmp_path, "ping", [check("SUCCESS"), check("INFO")])
    assert g.read_results(tmp_path)["ping"].verdict is g.Verdict.PASSED


def test_one_failure_fails(tmp_path: Path) -> None:
    write(tmp_path, "ping", [check("SUCCESS"), check("FAILURE", "x", "bad status\nmore")])
    outcome = g.read_results(tmp_path)["ping"]
    assert outcome.verdict is g.Verdict.FAILED
    assert outcome.failures == ("x: bad status",)


@pytest.mark.parametrize("checks", [[], [check("INFO")], [check("WARNING"), check("INFO")]])
def test_no_check_run_is_not_passing(tmp_path: Path, checks: list[dict[str, Any]]) -> None:
    write(tmp_path, "server-sse-polling", checks)
    assert g.read_results(tmp_path)["server-sse-polling"].verdict is g.Verdict.NO_CHECK


def test_schema_check_alone_is_no_check(tmp_path: Path) -> None:
    write(tmp_path, "ping", [check("INFO"), check("SUCCESS", "wire-schema-valid")])
    outcome = g.read_results(tmp_path)["ping"]
    assert outcome.verdict is g.Verdict.NO_CHECK
    assert outcome.others == {"INFO": 1, "SUCCESS wire-schema-valid": 1}


def test_schema_check_failure_fails(tmp_path: Path) -> None:
    write(tmp_path, "ping", [check("SUCCESS"), check("FAILURE", "wire-schema-valid", "bad message")])
    assert g.read_results(tmp_path)["ping"].verdict is g.Verdict.FAILED


@pytest.mark.parametrize("checks", [None, "{not json", '{"a": 1}'])
def test_missing_or_broken_checks_fail(tmp_path: Path, checks: str | None) -> None:
    write(tmp_path, "ping", checks)
    outcome = g.read_results(tmp_path)["ping"]
    assert outcome.verdict is g.Verdict.FAILED and outcome.problem


def test_scenario_never_reached_is_not_run(tmp_path: Path) -> None:
    write(tmp_path, "ping", [check("SUCCESS")])
    outcomes = g.read_results(tmp_path, ["ping", "tools-list"])
    assert outcomes["tools-list"].verdict is g.Verdict.NOT_RUN


def test_newest_folder_of_a_scenario_wins(tmp_path: Path) -> None:
    write(tmp_path, "ping", [check("FAILURE")], stamp="2026-01-02T03-04-05-678Z")
    write(tmp_path, "ping", [check("SUCCESS")], stamp="2026-01-02T03-04-06-000Z")
    (tmp_path / "suite.log").write_text("not a folder")
    (tmp_path / "unrelated").mkdir()
    assert {name: o.verdict for name, o in g.read_results(tmp_path).items()} == {"ping": g.Verdict.PASSED}


def test_scenario_names_with_hyphens_and_digits(tmp_path: Path) -> None:
    write(tmp_path, "elicitation-sep1034-defaults", [check("SUCCESS")])
    assert list(g.read_results(tmp_path)) == ["elicitation-sep1034-defaults"]


# The baseline file.

def test_baseline_sections_and_modes() -> None:
    sections = g.parse_baseline(BASELINE)
    assert sections == {
        "0.1.16": {"tools-call-sampling": None, "server-sse-polling": frozenset({"jco"})},
        "0.2.0-alpha.12/2025-11-25": {},
        "0.2.0-alpha.12/2026-07-28": {"server-stateless": frozenset({"jco"})},
        "0.2.0-alpha.12/requirements-2026-07-28": {},
    }


def test_baseline_mode_list_with_spaces() -> None:
    sections = g.parse_baseline('"s":\n  - a-b: [ jco , wasmtime-fresh ]\n')
    assert sections == {"s": {"a-b": frozenset({"jco", "wasmtime-fresh"})}}


@pytest.mark.parametrize("text", [
    '"s":\n  - a\n  - a\n',            # listed twice
    '"s":\n  - a\n"s":\n  - b\n',      # section twice
    "  - a\n",                         # outside a section
    '"s": []\n  - a\n',                # after an empty section
    '"s":\n  a\n',                     # not a list item
    '"s":\n  - a: jco\n',              # modes not a list
    '"s":\n  - a: [jco,]\n',           # empty mode name
    "s: x\n",                          # not a section
])
def test_baseline_typos_are_errors(text: str) -> None:
    with pytest.raises(g.InputError):
        g.parse_baseline(text)


def script_sections() -> list[str]:
    """The baseline sections scripts/conformance.sh runs, its versions filled in."""
    pins = (ROOT / "scripts" / "versions.sh").read_text()
    versions = dict(re.findall(r"^(CONFORMANCE_\w*VERSION)=(\S+)$", pins, re.M))
    script = (ROOT / "scripts" / "conformance.sh").read_text()
    suites = re.search(r"^suites=\((.*?)^\)", script, re.M | re.S)
    assert suites and versions
    sections = [line.strip().strip('"').split("|")[1] for line in suites[1].splitlines() if line.strip()]
    return [re.sub(r"\$(\w+)", lambda m: versions[m[1]], section) for section in sections]


def test_script_runs_every_protocol_version_and_the_requirements() -> None:
    assert script_sections() == ["0.1.16", "0.2.0-alpha.12/2025-11-25", "0.2.0-alpha.12/2026-07-28",
                                 "0.2.0-alpha.12/requirements-2026-07-28"]


@pytest.mark.parametrize("name", ["conformance-baseline.yml", "conformance-wasmcp-baseline.yml"])
def test_project_baseline_has_a_section_per_run(name: str) -> None:
    sections = g.parse_baseline((ROOT / name).read_text(), name)
    assert list(sections) == script_sections()
    modes = {"wasmtime-reuse", "wasmtime-fresh", "jco"}
    for section in sections.values():
        assert all(listed is None or listed <= modes for listed in (section or {}).values())


# Gating a run.

def test_run_matching_baseline_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    write(results, "ping", [check("SUCCESS")])
    write(results, "tools-call-sampling", [check("FAILURE")])
    write(results, "server-sse-polling", [check("SUCCESS")])
    code, out = run(tmp_path, capsys)
    assert code == 0, out
    assert "3 scenarios, 2 passed, 1 failed, 0 zero-check, 0 not run" in out


def test_mode_specific_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    write(results, "tools-call-sampling", [check("FAILURE")])
    write(results, "server-sse-polling", [check("INFO")])
    assert run(tmp_path, capsys, mode="jco")[0] == 0
    code, out = run(tmp_path, capsys, mode="wasmtime-reuse")
    assert code == 1
    assert "not passing and not in the baseline: server-sse-polling" in out


def test_unlisted_zero_check_scenario_fails_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    write(results, "tools-call-sampling", [check("FAILURE")])
    write(results, "dns-rebinding-protection", [check("WARNING")])
    code, out = run(tmp_path, capsys)
    assert code == 1
    assert "NONE dns-rebinding-protection: zero-check" in out


def test_listed_scenario_now_passing_fails_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "results", "tools-call-sampling", [check("SUCCESS")])
    code, out = run(tmp_path, capsys)
    assert code == 1
    assert "passing now: remove from the baseline: tools-call-sampling" in out


def test_listed_scenario_with_no_check_stays_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "results", "tools-call-sampling", [check("INFO")])
    write(tmp_path / "results", "server-sse-polling", [check("SUCCESS")])
    assert run(tmp_path, capsys)[0] == 0


def test_listed_scenario_not_in_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "results", "ping", [check("SUCCESS")])
    code, out = run(tmp_path, capsys)
    assert code == 1
    assert "not a scenario of this run: server-sse-polling, tools-call-sampling" in out


def test_scenario_list_catches_a_short_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    write(results, "tools-call-sampling", [check("FAILURE")])
    write(results, "server-sse-polling", [check("FAILURE")])
    listing = tmp_path / "scenarios.txt"
    listing.write_text("tools-call-sampling\nserver-sse-polling\nping\n")
    code, out = run(tmp_path, capsys, "--scenarios", str(listing), mode="jco")
    assert code == 1
    assert "NONE ping: not run" in out


def test_unknown_mode_in_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    write(results, "tools-call-sampling", [check("FAILURE")])
    write(results, "server-sse-polling", [check("SUCCESS")])
    code, out = run(tmp_path, capsys, "--known-modes", "wasmtime-reuse,wasmtime-fresh")
    assert code == 1
    assert "mode names in the baseline that no run has: jco" in out


def test_empty_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "results", "ping", [check("SUCCESS")])
    assert run(tmp_path, capsys, suite="0.2.0-alpha.12/2025-11-25")[0] == 0


def test_sections_for_2026_07_28(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    write(results, "server-stateless", [check("FAILURE")])
    assert run(tmp_path, capsys, mode="jco", suite="0.2.0-alpha.12/2026-07-28")[0] == 0
    code, out = run(tmp_path, capsys, mode="wasmtime-fresh", suite="0.2.0-alpha.12/2026-07-28")
    assert code == 1 and "not passing and not in the baseline: server-stateless" in out
    code, out = run(tmp_path, capsys, suite="0.2.0-alpha.12/requirements-2026-07-28")
    assert code == 1 and "not passing and not in the baseline: server-stateless" in out


def test_only_listed_leaves_unscored_scenarios_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A --requirements run also runs scenarios it never scores: they are shown, not gated.
    results = tmp_path / "results"
    write(results, "caching", [check("SUCCESS")])
    write(results, "tasks-lifecycle", [check("FAILURE", "t", "no tasks")])
    write(results, "json-schema-2020-12", [check("INFO")])
    listing = tmp_path / "scenarios.txt"
    listing.write_text("caching\n")
    suite = "0.2.0-alpha.12/requirements-2026-07-28"
    code, out = run(tmp_path, capsys, "--scenarios", str(listing), "--only-listed", suite=suite)
    assert code == 0, out
    assert "1 scenarios, 1 passed" in out
    assert "    tasks-lifecycle: failed" in out and "    json-schema-2020-12: zero-check" in out
    code, out = run(tmp_path, capsys, "--scenarios", str(listing), suite=suite)
    assert code == 1 and "not passing and not in the baseline: json-schema-2020-12, tasks-lifecycle" in out


def test_only_listed_still_catches_a_listed_scenario_not_run(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "results", "tasks-lifecycle", [check("SUCCESS")])
    listing = tmp_path / "scenarios.txt"
    listing.write_text("caching\n")
    code, out = run(tmp_path, capsys, "--scenarios", str(listing), "--only-listed",
                    suite="0.2.0-alpha.12/requirements-2026-07-28")
    assert code == 1 and "NONE caching: not run" in out


def test_only_listed_needs_a_scenario_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "results", "ping", [check("SUCCESS")])
    with pytest.raises(SystemExit) as stopped:
        run(tmp_path, capsys, "--only-listed")
    assert stopped.value.code == 2


@pytest.mark.parametrize("problem", ["no-section", "no-results", "empty-results"])
def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], problem: str) -> None:
    if problem != "no-results":
        (tmp_path / "results").mkdir()
    code, out = run(tmp_path, capsys, suite="9.9.9" if problem == "no-section" else "0.1.16")
    assert code == 2 and out.startswith("error: ")
