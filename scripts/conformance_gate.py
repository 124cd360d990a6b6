"""Gate one run of the official MCP conformance suite on its written results.

    conformance_gate.py --baseline conformance-baseline.yml --suite 0.1.16 \\
        --mode jco [--scenarios FILE [--only-listed]] [--known-modes a,b,c] RESULTS_DIR

RESULTS_DIR is what the suite wrote with ``-o``: one folder per scenario,
``server-<scenario>-<ISO timestamp>``, holding ``checks.json`` (a list of
checks, each with a ``status``). A scenario passes only when it ran at least
one check and none failed. One that ran no check (only INFO or WARNING, or
nothing at all) does not pass: the suite itself counts it as passing, which
hides a feature the suite could not find. Neither does one whose folder has no
``checks.json`` (the suite gave up on it) nor, with ``--scenarios``, one the
run never reached. With ``--only-listed`` as well, only the scenarios that
file names are judged: a ``--requirements`` run also runs scenarios it
reports but never scores (extensions, pending ones), and those are shown
apart, whatever their outcome.

The baseline lists, per suite, the scenarios expected not to pass, each for
every mode or for the modes named:

    "0.1.16":
      - tools-call-sampling              # why, in one line
      - server-sse-polling: [jco]        # why only there

The run fails on a scenario that does not pass and is not listed, and on a
listed one that now passes: the baseline only ever shrinks. Exit status 0
when the run matches the baseline, 1 when it does not, 2 on bad input.
"""

from __future__ import annotations

import argparse
import enum
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# A scenario's folder: the suite names it "server-", the scenario, then the
# ISO time it started with ":" and "." turned into "-".
RESULT_DIR = re.compile(r"^server-(?P<scenario>.+)-(?P<stamp>\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)$")

# Checks the suite adds to every scenario that exchanged messages, whatever
# the scenario tests (0.2.0 validates each message against the JSON schema).
# Their failures count, but they alone do not make a scenario one that ran a
# check: a scenario that found nothing to test would otherwise pass on them.
INCIDENTAL_CHECKS = frozenset({"wire-schema-valid", "wire-schema-harness-error"})


class Verdict(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    NO_CHECK = "zero-check"
    NOT_RUN = "not run"


@dataclass(frozen=True)
class Outcome:
    """What one scenario's results say."""

    scenario: str
    passed: int = 0  # SUCCESS checks, incidental ones left out
    failed: int = 0  # FAILURE checks, incidental ones included
    others: Mapping[str, int] = field(default_factory=dict)  # INFO, WARNING, ... and incidental successes
    problem: str | None = None  # why there are no checks to read
    failures: tuple[str, ...] = ()  # one line per failed check

    @property
    def verdict(self) -> Verdict:
        if self.problem == NOT_RUN:
            return Verdict.NOT_RUN
        if self.failed or self.problem:
            return Verdict.FAILED
        return Verdict.PASSED if self.passed else Verdict.NO_CHECK


NOT_RUN = "no results: the run never reached it"


class InputError(Exception):
    """A baseline or results folder the gate cannot read."""


# Scenario -> the modes it is expected not to pass on (None: every mode).
Section = dict[str, frozenset[str] | None]

_KEY = re.compile(r'^(?:"(?P<quoted>[^"]+)"|(?P<plain>[A-Za-z0-9._/-]+)):\s*(?P<empty>\[\])?$')
_ITEM = re.compile(r"^-\s+(?P<scenario>[a-z0-9][a-z0-9._-]*)(?::\s*\[(?P<modes>[^\]]*)\])?$")


def _strip_comment(line: str) -> str:
    # Names never hold "#": a "#" starts a comment at the line's start or after a space.
    match = re.search(r"(^|\s)#", line)
    return (line[: match.start()] if match else line).rstrip()


def parse_baseline(text: str, source: str = "baseline") -> dict[str, Section]:
    """The baseline's sections, from the small YAML subset it is written in.

    PyYAML is not a dependency: the format is one mapping of suite names
    (quoted or not) to lists of scenario names, each optionally a one-key
    mapping to a flow list of modes. Anything else is an error, so a typo
    cannot quietly drop an entry.
    """
    sections: dict[str, Section] = {}
    current: Section | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        where = f"{source}:{number}"
        if not line[0].isspace():
            key = _KEY.match(line)
            if key is None:
                raise InputError(f'{where}: expected a suite section such as "0.1.16":, got {raw.strip()!r}')
            name = key["quoted"] or key["plain"]
            if name in sections:
                raise InputError(f"{where}: section {name!r} appears twice")
            current = sections[name] = {}
            if key["empty"]:
                current = None  # "[]": nothing listed, and no items may follow
            continue
        item = _ITEM.match(line.strip())
        if item is None:
            raise InputError(f"{where}: expected '- scenario' or '- scenario: [mode, ...]', got {raw.strip()!r}")
        if current is None:
            raise InputError(f"{where}: a scenario outside a suite section (or after an empty one)")
        scenario = item["scenario"]
        if scenario in current:
            raise InputError(f"{where}: {scenario} is listed twice in its section")
        modes: frozenset[str] | None = None
        if item["modes"] is not None:
            names = [mode.strip() for mode in item["modes"].split(",")]
            if not all(names):
                raise InputError(f"{where}: an empty mode name in {raw.strip()!r}")
            modes = frozenset(names)
        current[scenario] = modes
    return sections


def read_checks(path: Path) -> Outcome:
    """One scenario's outcome from its checks.json."""
    scenario = path.parent.name
    match = RESULT_DIR.match(scenario)
    scenario = match["scenario"] if match else scenario
    try:
        checks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return Outcome(scenario, problem=f"unreadable checks.json: {error}")
    if not isinstance(checks, list) or not all(isinstance(check, dict) for check in checks):
        return Outcome(scenario, problem="checks.json is not a list of checks")
    passed = failed = 0
    others: Counter[str] = Counter()
    failures: list[str] = []
    for check in checks:
        status = str(check.get("status", "?"))
        incidental = check.get("id") in INCIDENTAL_CHECKS
        if status == "FAILURE":
            failed += 1
            message = str(check.get("errorMessage") or check.get("description") or "").strip()
            failures.append(f"{check.get('id', '?')}: {message.splitlines()[0] if message else 'failed'}")
        elif status == "SUCCESS" and not incidental:
            passed += 1
        else:
            others[f"{status} {check.get('id')}" if incidental else status] += 1
    return Outcome(scenario, passed, failed, dict(others), failures=tuple(failures))


def read_results(results: Path, scenarios: Iterable[str] = ()) -> dict[str, Outcome]:
    """Every scenario's outcome in a results folder, and NOT_RUN for each of
    ``scenarios`` (the run's full list, when known) it lacks."""
    if not results.is_dir():
        raise InputError(f"{results}: no such results folder")
    latest: dict[str, tuple[str, Path]] = {}
    for folder in results.iterdir():
        match = RESULT_DIR.match(folder.name)
        if not folder.is_dir() or match is None:
            continue
        # A folder left from an earlier run into the same place: keep the newest.
        seen = latest.get(match["scenario"])
        if seen is None or match["stamp"] > seen[0]:
            latest[match["scenario"]] = (match["stamp"], folder)
    outcomes: dict[str, Outcome] = {}
    for scenario, (_, folder) in latest.items():
        checks = folder / "checks.json"
        outcomes[scenario] = (
            read_checks(checks) if checks.is_file()
            else Outcome(scenario, problem="no checks.json: the suite did not finish this scenario")
        )
    for scenario in scenarios:
        outcomes.setdefault(scenario, Outcome(scenario, problem=NOT_RUN))
    return dict(sorted(outcomes.items()))


def split_unscored(outcomes: Mapping[str, Outcome],
                   scored: Iterable[str]) -> tuple[dict[str, Outcome], dict[str, Outcome]]:
    """The outcomes of the ``scored`` scenarios, and those of the others."""
    names = frozenset(scored)
    return ({name: o for name, o in outcomes.items() if name in names},
            {name: o for name, o in outcomes.items() if name not in names})


@dataclass(frozen=True)
class Report:
    outcomes: Mapping[str, Outcome]
    expected: frozenset[str]  # scenarios the baseline lists for this mode
    unexpected: tuple[str, ...]  # not passing, not listed
    stale: tuple[str, ...]  # listed, now passing
    unknown: tuple[str, ...]  # listed, but not a scenario of this run
    bad_modes: tuple[str, ...]  # mode names in the baseline no run has
    unscored: Mapping[str, Outcome] = field(default_factory=dict)  # run, but not judged

    @property
    def ok(self) -> bool:
        return not (self.unexpected or self.stale or self.unknown or self.bad_modes)


def gate(outcomes: Mapping[str, Outcome], section: Section, mode: str,
         known_modes: Iterable[str] = (), unscored: Mapping[str, Outcome] | None = None) -> Report:
    """Compare a run's outcomes with the baseline's section for its suite
    (``unscored``: what else the run ran, only to be shown)."""
    expected = frozenset(name for name, modes in section.items() if modes is None or mode in modes)
    known = frozenset(known_modes)
    listed_modes = {m for modes in section.values() if modes is not None for m in modes}
    not_passing = {name for name, outcome in outcomes.items() if outcome.verdict is not Verdict.PASSED}
    return Report(
        outcomes=outcomes,
        expected=expected,
        unexpected=tuple(sorted(not_passing - expected)),
        stale=tuple(sorted(name for name in expected & outcomes.keys() if name not in not_passing)),
        unknown=tuple(sorted(name for name in section if name not in outcomes)),
        bad_modes=tuple(sorted(listed_modes - known)) if known else (),
        unscored=dict(unscored or {}),
    )


def render(report: Report, suite: str, mode: str) -> str:
    """A line per scenario, then what the gate decided and why."""
    lines: list[str] = []
    for name, outcome in report.outcomes.items():
        verdict = outcome.verdict
        listed = "  (baseline)" if name in report.expected else ""
        counts = f"{outcome.passed} passed, {outcome.failed} failed"
        extra = ", ".join(f"{count} {kind}" for kind, count in sorted(outcome.others.items()))
        detail = outcome.problem or (f"{counts}, {extra}" if extra else counts)
        mark = "ok  " if verdict is Verdict.PASSED else "FAIL" if verdict is Verdict.FAILED else "NONE"
        lines.append(f"  {mark} {name}: {verdict.value} ({detail}){listed}")
        if name in report.unexpected:
            lines.extend(f"         {failure[:200]}" for failure in outcome.failures[:5])
    if report.unscored:
        lines.append("  run but not scored (never gated):")
        lines.extend(f"    {name}: {outcome.verdict.value}" for name, outcome in report.unscored.items())
    tally = Counter(outcome.verdict for outcome in report.outcomes.values())
    lines.append(f"  {suite} on {mode}: {len(report.outcomes)} scenarios, "
                 + ", ".join(f"{tally[v]} {v.value}" for v in Verdict)
                 + f"; {len(report.expected)} listed in the baseline")
    for names, why in (
        (report.unexpected, "not passing and not in the baseline"),
        (report.stale, "passing now: remove from the baseline"),
        (report.unknown, "in the baseline but not a scenario of this run"),
        (report.bad_modes, "mode names in the baseline that no run has"),
    ):
        if names:
            lines.append(f"  {why}: {', '.join(names)}")
    lines.append("  baseline check passed" if report.ok else "  baseline check FAILED")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("results", type=Path, help="the folder the suite wrote with -o")
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--suite", required=True, help="the baseline section for this run")
    parser.add_argument("--mode", required=True, help="the runtime mode the run was against")
    parser.add_argument("--scenarios", type=Path, help="a file naming every scenario the run was to run, one a line")
    parser.add_argument("--only-listed", action="store_true",
                        help="judge only the scenarios --scenarios names; show the others apart")
    parser.add_argument("--known-modes", default="", help="comma-separated mode names a baseline may use")
    args = parser.parse_args(argv)
    if args.only_listed and args.scenarios is None:
        parser.error("--only-listed needs --scenarios")
    try:
        sections = parse_baseline(args.baseline.read_text(encoding="utf-8"), str(args.baseline))
        if args.suite not in sections:
            raise InputError(f"{args.baseline}: no section {args.suite!r} (it has: {', '.join(sections)})")
        scenarios = args.scenarios.read_text(encoding="utf-8").split() if args.scenarios else []
        outcomes = read_results(args.results, scenarios)
    except (InputError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    unscored: dict[str, Outcome] = {}
    if args.only_listed:
        outcomes, unscored = split_unscored(outcomes, scenarios)
    if not outcomes:
        print(f"error: {args.results} holds no scenario results", file=sys.stderr)
        return 2
    known = [mode for mode in args.known_modes.split(",") if mode]
    report = gate(outcomes, sections[args.suite] or {}, args.mode, known, unscored)
    print(render(report, args.suite, args.mode))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
