"""Every ```python block of every docs/*.md page runs, so the docs cannot drift.

The blocks of one page run in order in one fresh module namespace, so a
later block can use what an earlier one defined. Each block is one test,
named ``<page>:<line>``; a failure names the page and the block's first line,
and tracebacks point at the page's own line numbers. Blocks fenced as
anything but ``python`` (``sh``, ``text``, ...) are not run.
"""

from __future__ import annotations

import re
import sys
import traceback
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..paths import ROOT

DOCS = ROOT / "docs"
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line number of the block's first line of code
    source: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}, block at line {self.line}"


def blocks_of(page: Path) -> list[Block]:
    """The ```python blocks of a page, in order; raises on an unclosed fence."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    number = 0
    while number < len(lines):
        opening = FENCE.match(lines[number])
        number += 1
        if opening is None:
            continue
        language = (opening["info"].split() or [""])[0].lower()
        start = number  # index of the first line inside the fence
        while number < len(lines):
            closing = FENCE.match(lines[number])
            if closing and closing["fence"].startswith(opening["fence"]) and not closing["info"].strip():
                break
            number += 1
        else:
            raise ValueError(f"{page.relative_to(ROOT)}: the fence at line {start} is never closed")
        if language == "python":
            found.append(Block(page, start + 1, "\n".join(lines[start:number]) + "\n"))
        number += 1  # past the closing fence
    return found


PAGES = sorted(DOCS.glob("*.md"))
BLOCKS = [block for page in PAGES for block in blocks_of(page)]


@dataclass
class PageRun:
    """One page's shared namespace, which blocks ran, and the first failure."""

    module: types.ModuleType
    ran: set[int] = field(default_factory=set)
    failure: str | None = None  # the report of the first block that failed
    failed_block: str | None = None


_runs: dict[Path, PageRun] = {}


def page_run(page: Path) -> PageRun:
    if page not in _runs:
        module = types.ModuleType("docs_" + re.sub(r"\W", "_", page.stem))
        module.__file__ = str(page)
        _runs[page] = PageRun(module)
    return _runs[page]


def execute(block: Block, run: PageRun) -> None:
    """Run one block in the page's namespace; record the first failure."""
    run.ran.add(block.line)
    # Leading newlines, so that tracebacks give the page's line numbers.
    code = compile("\n" * (block.line - 1) + block.source, str(block.page), "exec")
    module = run.module
    # Registered while a block runs: dataclasses and typing.get_type_hints
    # look a class's module up in sys.modules.
    sys.modules[module.__name__] = module
    try:
        exec(code, module.__dict__)
    except Exception as exc:
        run.failed_block = block.where
        # Leave this harness's own frame out of the report.
        details = traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next if exc.__traceback__ else None)
        run.failure = f"{block.where} failed:\n" + "".join(details)
    finally:
        sys.modules.pop(module.__name__, None)


def test_every_page_has_examples() -> None:
    assert PAGES, f"no pages in {DOCS}"
    without = [page.name for page in PAGES if not any(block.page == page for block in BLOCKS)]
    assert not without, f"pages without a ```python example: {without}"


@pytest.mark.parametrize("block", BLOCKS, ids=[f"{b.page.name}:{b.line}" for b in BLOCKS])
def test_example(block: Block) -> None:
    run = page_run(block.page)
    # Earlier blocks of the page first, in order, if they have not run
    # (for example when this test was selected alone with -k).
    for earlier in BLOCKS:
        if run.failure is not None:
            break
        if earlier.page == block.page and earlier.line < block.line and earlier.line not in run.ran:
            execute(earlier, run)
    if run.failure is not None:
        pytest.fail(f"{block.where}: not run, because an earlier block failed.\n{run.failure}", pytrace=False)
    execute(block, run)
    if run.failure is not None:
        pytest.fail(run.failure, pytrace=False)
