"""The built toolbox provider, loaded in wasmtime-py, answers through its WIT exports."""

from __future__ import annotations

import json
from typing import Any

import pytest
import wasmtime
from wasmtime import component as cm

from ..paths import BUILD
from .loader import ProviderInstance, load

pytestmark = pytest.mark.component

PROVIDER = BUILD / "providers" / "toolbox.wasm"


@pytest.fixture(scope="module")
def compiled() -> tuple[wasmtime.Engine, cm.Component]:
    if not PROVIDER.exists():
        pytest.fail(f"{PROVIDER} is missing: run `make build` first (make test does)")
    return load(PROVIDER)


@pytest.fixture
def provider(compiled: tuple[wasmtime.Engine, cm.Component]) -> ProviderInstance:
    return ProviderInstance(*compiled)


def finished(events: list[Any]) -> Any:
    last = events[-1]
    assert last.tag == "finished"
    return last.payload


def texts(result: Any) -> list[str]:
    return [block.payload.text for block in result.content if block.tag == "text"]


def test_server_info_advertises_tools_only(provider: ProviderInstance) -> None:
    info = provider.info()
    assert info.implementation.name == "toolbox"
    assert info.capabilities == {"tools", "logging"}


def test_lists_every_tool_with_schemas(provider: ProviderInstance) -> None:
    page = provider.list_tools()
    names = [t.name for t in page.tools]
    assert names == ["text_stats", "convert_temperature", "days_between", "hash_text", "slugify", "primes"]
    assert getattr(page, "next-cursor") is None
    by_name = {t.name: t for t in page.tools}
    schema = json.loads(getattr(by_name["convert_temperature"], "input-schema"))
    assert schema["properties"]["from_unit"]["enum"] == ["celsius", "fahrenheit", "kelvin"]
    assert by_name["text_stats"].annotations is not None


def test_call_returns_structured_content(provider: ProviderInstance) -> None:
    result = finished(provider.call_tool("text_stats", {"text": "One two. Three!"}))
    assert getattr(result, "is-error") is False
    assert json.loads(getattr(result, "structured-content"))["words"] == 3


def test_each_tool_answers(provider: ProviderInstance) -> None:
    cases = {
        "convert_temperature": ({"value": 100, "from_unit": "celsius", "to_unit": "fahrenheit"}, "212.0"),
        "days_between": ({"start": "2026-01-01", "end": "2026-03-01"}, "59"),
        "hash_text": ({"text": "abc", "algorithm": "md5"}, "900150983cd24fb0d6963f7d28e17f72"),
        "slugify": ({"title": "Héllo, Wörld!"}, "hello-world"),
    }
    for name, (arguments, expected) in cases.items():
        result = finished(provider.call_tool(name, arguments))
        assert texts(result) == [expected], name


def test_invalid_arguments_are_an_error_result(provider: ProviderInstance) -> None:
    result = finished(provider.call_tool("slugify", {"title": "x", "max_length": 0}))
    assert getattr(result, "is-error") is True
    assert "max_length" in texts(result)[0]


def test_unknown_tool_finishes_with_its_json_rpc_error(provider: ProviderInstance) -> None:
    # wasmtime-py gives the error-code variant itself for result's err case.
    # The SDK sends the exact JSON-RPC code: unknown tools are -32602.
    outcome = provider.call_tool("nope", {})[-1].payload
    assert outcome.tag == "other"
    assert (outcome.payload.code, outcome.payload.message) == (-32602, "Unknown tool: nope")


def test_async_tool_streams_progress_then_the_result(provider: ProviderInstance) -> None:
    events = provider.call_tool("primes", {"limit": 100}, progress_token=7)
    kinds = [e.payload.tag for e in events[:-1]]
    assert kinds.count("progress") >= 3 and kinds[-1] == "log"
    progress = [e.payload.payload.progress for e in events[:-1] if e.payload.tag == "progress"]
    assert progress == sorted(progress)
    assert json.loads(getattr(finished(events), "structured-content"))["result"][:4] == [2, 3, 5, 7]


def test_a_failing_call_leaves_the_instance_usable(provider: ProviderInstance) -> None:
    provider.call_tool("convert_temperature", {"value": -500, "from_unit": "celsius", "to_unit": "kelvin"})
    assert texts(finished(provider.call_tool("hash_text", {"text": ""})))[0].startswith("e3b0c442")
