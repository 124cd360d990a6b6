"""bench/perf_profile.py sorts perf samples into the parts of a request's
cost; these stacks are shaped as `perf script -F ip,sym` prints them."""

from __future__ import annotations

import pytest

from bench.perf_profile import HZ, breakdown, part_of, stacks

SCRIPT = """
\t    7f00 __memmove_avx_unaligned_erms
\t       0 [unknown]

\t    7f01 wasm[8]::function[4035]::_PyEval_EvalFrameDefault
\t    7f02 wasm[10]::function[243]::wasi:http/incoming-handler@0.2.6#handle
\t    7f03 wasmtime::runtime::vm::traphandlers::catch_traps

\tffff01 copy_mc_enhanced_fast_string
\tffff02 do_wp_page
\tffff03 exc_page_fault
\t  7f04 wasm[8]::function[2932]::_PyType_LookupStackRefAndVersion

\t  7f05 wasmtime_environ::module_artifacts::CompiledFunctionsTable::func_loc
\t  7f06 wasmtime::runtime::vm::instance::Instance::get_func_ref

\tffff04 unmap_page_range
\tffff05 do_madvise
\t  7f07 wasmtime::runtime::vm::sys::unix::vm::decommit_pages

\t  7f08 hyper::proto::h1::dispatch::Dispatcher<D,Bs,I,T>::poll_catch

\t  7f09 _int_free
"""


def test_each_sample_is_one_stack_innermost_first() -> None:
    samples = list(stacks(SCRIPT))
    assert len(samples) == 7
    assert samples[1][0] == "wasm[8]::function[4035]::_PyEval_EvalFrameDefault"


@pytest.mark.parametrize(("index", "part"), [
    (0, "memory copies in the host"),
    (1, "guest: CPython"),
    (2, "guest page faults"),
    (3, "instantiation"),
    (4, "memory reset: pages handed back"),
    (5, "host: HTTP"),
    (6, "other"),
])
def test_parts(index: int, part: str) -> None:
    assert part_of(list(stacks(SCRIPT))[index]).startswith(part)


def test_breakdown_is_cpu_time_per_request_and_shares() -> None:
    rows = breakdown(SCRIPT, requests=1)
    assert sum(row.share for row in rows) == pytest.approx(1.0)
    assert all(row.ms_per_request == pytest.approx(1000 / HZ) for row in rows)  # one sample each
    guest = next(row for row in rows if row.part.startswith("guest: CPython"))
    assert "_PyEval_EvalFrameDefault" in guest.evidence and "wasm[" not in guest.evidence
