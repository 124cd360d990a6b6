"""End to end: resources, prompts, completion and logging through the official
client, against the composed conformance server with sessions on. The
conformance suite checks the happy paths shallowly; these check values and
errors."""

from __future__ import annotations

import asyncio
import base64
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPDeprecationWarning
from mcp.shared.exceptions import MCPError as ClientError
from mcp.types import PromptReference

from ..paths import BUILD
from .server import Runtime, serve

pytestmark = pytest.mark.e2e

SERVER = BUILD / "conformance-server.wasm"


@pytest.fixture(scope="module")
def url(runtime: Runtime) -> Iterator[str]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make build PROVIDER=conformance SERVER={SERVER}` (make test does)")
    with serve(SERVER, runtime, MCP_SESSIONS="on") as endpoint:
        yield endpoint


def session(url: str, body: Any, **kwargs: Any) -> Any:
    async def go() -> Any:
        async with Client(url, mode="legacy", **kwargs) as client:
            return await body(client)

    # The client flags logging/setLevel and resources/subscribe as leaving the
    # protocol in 2026-07-28; they are part of 2025-11-25, which this serves.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MCPDeprecationWarning)
        return asyncio.run(go())


def test_capabilities_are_exactly_what_the_provider_offers(url: str) -> None:
    caps = session(url, lambda c: asyncio.sleep(0, c.server_capabilities))
    assert caps.tools is not None and caps.prompts is not None and caps.completions is not None
    assert caps.resources is not None and caps.resources.subscribe is True
    assert caps.logging is not None


def test_resources_are_listed_with_their_metadata(url: str) -> None:
    async def body(client: Client) -> Any:
        return await client.list_resources(), await client.list_resource_templates()

    resources, templates = session(url, body)
    by_uri = {str(r.uri): r for r in resources.resources}
    assert set(by_uri) == {"test://static-text", "test://static-binary", "test://watched-resource"}
    assert by_uri["test://static-binary"].mime_type == "image/png"
    assert by_uri["test://static-text"].description == "A static text resource."
    assert [t.uri_template for t in templates.resource_templates] == ["test://template/{id}/data"]


def test_reading_text_binary_and_templated_resources(url: str) -> None:
    async def body(client: Client) -> Any:
        return (await client.read_resource("test://static-text"),
                await client.read_resource("test://static-binary"),
                await client.read_resource("test://template/a%20b/data"))

    text, binary, templated = session(url, body)
    assert text.contents[0].text == "This is the content of the static text resource."
    assert base64.b64decode(binary.contents[0].blob).startswith(b"\x89PNG")
    assert str(templated.contents[0].uri) == "test://template/a%20b/data"
    assert '"id": "a b"' in templated.contents[0].text


def test_unknown_resource_is_error_32002(url: str) -> None:
    async def body(client: Client) -> Any:
        with pytest.raises(ClientError) as info:
            await client.read_resource("test://nope")
        return info.value

    error = session(url, body)
    assert error.error.code == -32002


def test_subscribe_and_unsubscribe(url: str) -> None:
    async def body(client: Client) -> Any:
        await client.subscribe_resource("test://watched-resource")
        await client.unsubscribe_resource("test://watched-resource")
        with pytest.raises(ClientError) as info:
            await client.subscribe_resource("test://nope")
        return info.value

    assert session(url, body).error.code == -32002


def test_prompts_render_with_arguments_and_content(url: str) -> None:
    async def body(client: Client) -> Any:
        return (await client.list_prompts(),
                await client.get_prompt("test_prompt_with_arguments", {"arg1": "x", "arg2": "y"}),
                await client.get_prompt("test_prompt_with_embedded_resource", {"resourceUri": "test://r"}),
                await client.get_prompt("test_prompt_with_image"))

    listed, with_args, embedded, image = session(url, body)
    by_name = {p.name: p for p in listed.prompts}
    assert [(a.name, a.required, a.description) for a in by_name["test_prompt_with_arguments"].arguments] == [
        ("arg1", True, "First test argument."), ("arg2", True, "Second test argument.")]
    assert with_args.messages[0].content.text == "Prompt with arguments: arg1='x', arg2='y'"
    assert str(embedded.messages[0].content.resource.uri) == "test://r"
    assert image.messages[0].content.mime_type == "image/png"


@pytest.mark.parametrize(("name", "arguments"), [
    ("test_prompt_with_arguments", {"arg1": "only one"}),
    ("test_prompt_with_arguments", {"arg1": "a", "arg2": "b", "arg3": "c"}),
    ("no_such_prompt", {}),
])
def test_bad_prompt_requests_are_invalid_params(url: str, name: str, arguments: dict[str, str]) -> None:
    async def body(client: Client) -> Any:
        with pytest.raises(ClientError) as info:
            await client.get_prompt(name, arguments)
        return info.value

    assert session(url, body).error.code == -32602


def test_completion_filters_by_prefix(url: str) -> None:
    async def body(client: Client) -> Any:
        return await client.complete(PromptReference(type="ref/prompt", name="test_prompt_with_arguments"),
                                     {"name": "arg1", "value": "par"})

    result = session(url, body)
    assert result.completion.values == ["paris", "park", "party"]
    assert result.completion.has_more is False


def test_log_level_filters_notifications_within_a_session(url: str, runtime: Runtime) -> None:
    logs: list[Any] = []

    async def on_log(params: Any) -> None:
        logs.append((params.level, params.data))

    async def body(client: Client) -> Any:
        await client.call_tool("test_tool_with_logging", {})
        seen = len(logs)
        await client.set_logging_level("error")
        await client.call_tool("test_tool_with_logging", {})
        return seen

    seen = session(url, body, logging_callback=on_log)
    # Where each request may meet a fresh instance, the level is forgotten
    # (README, "Instance modes"): the second call logs again.
    assert seen == 3 and len(logs) == (3 if runtime.one_instance else 6)
    assert [data for _, data in logs][:3] == ["Tool execution started", "Tool processing data", "Tool execution completed"]


def test_explicit_schema_is_served_exactly(url: str) -> None:
    async def body(client: Client) -> Any:
        return await client.list_tools()

    tools = {t.name: t for t in session(url, body).tools}
    schema = tools["json_schema_2020_12_tool"].input_schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$defs"]["address"]["properties"]["city"] == {"type": "string"}
    assert schema["additionalProperties"] is False


def test_media_content_round_trips_as_base64(url: str) -> None:
    async def body(client: Client) -> Any:
        return await client.call_tool("test_audio_content", {}), await client.call_tool("test_multiple_content_types", {})

    audio, mixed = session(url, body)
    assert audio.content[0].mime_type == "audio/wav"
    assert base64.b64decode(audio.content[0].data).startswith(b"RIFF")
    assert [c.type for c in mixed.content] == ["text", "image", "resource"]


def test_raw_resources_read_without_uri_is_invalid_params(url: str) -> None:
    init = httpx.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}},
        headers={"accept": "application/json"}, timeout=30)
    session_id = init.headers["mcp-session-id"]
    response = httpx.post(url, json={"jsonrpc": "2.0", "id": 2, "method": "resources/read", "params": {}},
                          headers={"accept": "application/json", "mcp-session-id": session_id}, timeout=30)
    assert response.json()["error"] == {"code": -32602, "message": 'resources/read: "uri" must be a non-empty string'}
