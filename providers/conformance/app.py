"""The fixtures the official MCP conformance suite expects, written with the SDK.

Names and behaviour follow `@modelcontextprotocol/conformance`; see
README.md for which scenarios this server passes.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from dataclasses import dataclass
from typing import Annotated, Literal

from mcp_component import (
    Audio,
    CacheHint,
    Context,
    ElicitResult,
    EmbeddedResource,
    Header,
    Image,
    Provider,
    Text,
    ToolError,
    user,
)

provider = Provider(
    "mcp-conformance-test-server",
    version="1.0.0",
    instructions="Fixtures for the MCP conformance suite.",
    resource_subscriptions=True,
)

# A 1x1 red PNG and a tiny silent WAV: the smallest valid media.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
WAV = (
    b"RIFF" + (36 + 8).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
    + (1).to_bytes(2, "little") + (1).to_bytes(2, "little") + (8000).to_bytes(4, "little")
    + (16000).to_bytes(4, "little") + (2).to_bytes(2, "little") + (16).to_bytes(2, "little")
    + b"data" + (8).to_bytes(4, "little") + bytes(8)
)


# -- tools ---------------------------------------------------------------------

@provider.tool
def whoami(ctx: Context) -> dict[str, object]:
    """Who is calling: the identity of the validated bearer token (authorization on), else nulls."""
    identity = ctx.identity
    if identity is None:
        return {"subject": None, "client_id": None, "scopes": []}
    return {"subject": identity.subject, "client_id": identity.client_id, "scopes": list(identity.scopes)}


# Module state lives as long as the instance: a fresh instance per request
# starts at zero every time, a reused one counts on (README, "Instance modes").
_calls_here = 0


@provider.tool
def calls_on_this_instance() -> int:
    """How many times this tool ran in this instance, this call included."""
    global _calls_here
    _calls_here += 1
    return _calls_here


@provider.tool
def test_simple_text() -> str:
    """Returns simple text content."""
    return "This is a simple text response for testing."


@provider.tool
def test_image_content() -> Image:
    """Returns a PNG image."""
    return Image(PNG, "image/png")


@provider.tool
def test_audio_content() -> Audio:
    """Returns a WAV audio clip."""
    return Audio(WAV, "audio/wav")


@provider.tool
def test_embedded_resource() -> EmbeddedResource:
    """Returns an embedded text resource."""
    return EmbeddedResource("test://embedded-resource", text="This is an embedded resource content.",
                            mime_type="text/plain")


@provider.tool
def test_multiple_content_types() -> list[Text | Image | EmbeddedResource]:
    """Returns text, an image and an embedded resource together."""
    return [
        Text("Multiple content types test:"),
        Image(PNG, "image/png"),
        EmbeddedResource("test://mixed-content-resource", text=json.dumps({"test": "data", "value": 123}),
                         mime_type="application/json"),
    ]


@provider.tool
def test_error_handling() -> str:
    """Always fails, as an error result."""
    raise ToolError("This tool intentionally returns an error for testing")


@provider.tool
async def test_tool_with_logging(ctx: Context) -> str:
    """Sends three log messages while it runs."""
    await ctx.info("Tool execution started")
    time.sleep(0.05)
    await ctx.info("Tool processing data")
    time.sleep(0.05)
    await ctx.info("Tool execution completed")
    return "Tool with logging executed successfully"


@provider.tool
async def test_tool_with_progress(ctx: Context) -> str:
    """Reports progress 0, 50 and 100 out of 100."""
    for step, value in enumerate((0, 50, 100)):
        if step:
            time.sleep(0.05)
        await ctx.report_progress(value, 100)
    return "Tool with progress executed successfully"


# The suite's schema, keyword for keyword: from 2026-07-28 it also checks that
# $anchor, allOf/anyOf and if/then/else reach the client (SEP-2106).
@provider.tool(
    description="Tool with JSON Schema 2020-12 features",
    input_schema={
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": {
            "address": {
                "$anchor": "addressDef",
                "type": "object",
                "properties": {"street": {"type": "string"}, "city": {"type": "string"}},
            }
        },
        "properties": {
            "name": {"type": "string"},
            "address": {"$ref": "#/$defs/address"},
            "contactMethod": {"type": "string", "enum": ["phone", "email"]},
            "phone": {"type": "string"},
            "email": {"type": "string"},
        },
        "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
        "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
        "then": {"required": ["phone"]},
        "else": {"required": ["email"]},
        "additionalProperties": False,
    },
)
def json_schema_2020_12_tool(name: str = "", address: dict[str, str] | None = None,
                             contactMethod: Literal["phone", "email"] | None = None,
                             phone: str | None = None, email: str | None = None) -> str:
    contact = {key: value for key, value in
               (("contactMethod", contactMethod), ("phone", phone), ("email", email)) if value is not None}
    return f"Received name={name!r}, address={address!r}" + (f", contact={contact!r}" if contact else "")


@provider.tool
async def test_reconnection(ctx: Context) -> str:
    """Ends its SSE stream mid-call; the client reconnects for the result (SEP-1699)."""
    await ctx.close_sse_stream()
    return "Reconnection test completed successfully"


@provider.tool
async def test_sampling(prompt: str, ctx: Context) -> str:
    """Asks the client's model to complete ``prompt``."""
    reply = await ctx.sample(prompt, max_tokens=100)
    return f"LLM response: {reply.text}"


@provider.tool
async def test_elicitation(message: str, ctx: Context) -> str:
    """Asks the user for a username and an email address."""
    answer = await ctx.elicit(message, {
        "type": "object",
        "properties": {
            "username": {"type": "string", "description": "User's response"},
            "email": {"type": "string", "description": "User's email address"},
        },
        "required": ["username", "email"],
    })
    return f"User response: action={answer.action}, content={json.dumps(answer.data)}"


@dataclass
class Defaults:
    """Every primitive type with a default (SEP-1034)."""

    name: str = "John Doe"
    age: int = 30
    score: float = 95.5
    status: Literal["active", "inactive", "pending"] = "active"
    verified: bool = True


@provider.tool
async def test_elicitation_sep1034_defaults(ctx: Context) -> str:
    """Asks with a form whose fields all have defaults."""
    answer = await ctx.elicit("Please review and update the form fields with defaults", Defaults)
    content = None if answer.data is None else answer.data.__dict__
    return f"Elicitation completed: action={answer.action}, content={json.dumps(content)}"


@provider.tool
async def test_elicitation_sep1330_enums(ctx: Context) -> str:
    """Asks with the five enum shapes of SEP-1330 (as a JSON Schema)."""
    titled = [{"const": f"value{n}", "title": title} for n, title in
              enumerate(("First Option", "Second Option", "Third Option"), start=1)]
    choices = [{"const": f"value{n}", "title": title} for n, title in
               enumerate(("First Choice", "Second Choice", "Third Choice"), start=1)]
    answer = await ctx.elicit("Please select options from the enum fields", {
        "type": "object",
        "properties": {
            "untitledSingle": {"type": "string", "enum": ["option1", "option2", "option3"]},
            "titledSingle": {"type": "string", "oneOf": titled},
            "legacyEnum": {"type": "string", "enum": ["opt1", "opt2", "opt3"],
                           "enumNames": ["Option One", "Option Two", "Option Three"]},
            "untitledMulti": {"type": "array", "items": {"type": "string", "enum": ["option1", "option2", "option3"]}},
            "titledMulti": {"type": "array", "items": {"anyOf": choices}},
        },
    })
    return f"Elicitation completed: action={answer.action}, content={json.dumps(answer.data)}"


# -- protocol 2026-07-28 ------------------------------------------------------------
# In 2026-07-28 a call that asks the client ends with an input-required result
# naming its questions by key; the client calls again with the answers and
# the function runs again from the start. So each fixture asks the same
# questions under the same keys every time it runs.

def _form(field: str, kind: str = "string") -> dict[str, object]:
    """A form of one required field."""
    return {"type": "object", "properties": {field: {"type": kind}}, "required": [field]}


def _field(answer: ElicitResult[dict[str, object]], field: str) -> str:
    """One field of an accepted form, or what the user did instead."""
    if answer.accepted and answer.data is not None and field in answer.data:
        return str(answer.data[field])
    return f"<{answer.action}>"


@provider.tool
async def test_missing_capability(ctx: Context) -> str:
    """Needs the client's sampling: a client that did not declare it gets error -32021."""
    reply = await ctx.sample("Say hello.", max_tokens=20, key="hello")
    return f"Sampled: {reply.text}"


@provider.tool
async def test_streaming_elicitation(ctx: Context) -> str:
    """Asks the user one question and answers with what they said."""
    answer = await ctx.elicit("What should the answer say?", _form("value"), key="value")
    return f"Elicited: {_field(answer, 'value')}"


@provider.tool
async def test_logging_tool(ctx: Context) -> str:
    """Sends three log messages (only to a client that asked for a log level)."""
    for step in ("started", "working", "done"):
        await ctx.info(f"Logging tool {step}")
    return "Logging tool executed successfully"


@provider.tool
async def test_trigger_tool_change(ctx: Context) -> str:
    """Announces that the list of tools changed."""
    await ctx.send_tool_list_changed()
    return "Tool list change notification sent"


@provider.tool
async def test_trigger_prompt_change(ctx: Context) -> str:
    """Announces that the list of prompts changed."""
    await ctx.send_prompt_list_changed()
    return "Prompt list change notification sent"


@provider.tool
async def test_input_required_result_elicitation(ctx: Context) -> str:
    """Asks the user's name, then greets them."""
    answer = await ctx.elicit("What is your name?", _form("name"), key="user_name")
    return f"Hello, {_field(answer, 'name')}!"


@provider.tool
async def test_input_required_result_sampling(ctx: Context) -> str:
    """Asks the client's model a question and answers with its reply."""
    reply = await ctx.sample("What is the capital of France?", max_tokens=100, key="capital_question")
    return f"LLM response: {reply.text}"


@provider.tool
async def test_input_required_result_list_roots(ctx: Context) -> str:
    """Lists the client's roots."""
    roots = await ctx.list_roots(key="client_roots")
    return "Client roots: " + (", ".join(root.uri for root in roots) or "none")


@provider.tool
async def test_input_required_result_request_state(ctx: Context) -> str:
    """Asks for a confirmation; the answer comes back with the request state it was asked with."""
    answer = await ctx.elicit("Please confirm", _form("ok", "boolean"), key="confirm")
    # Getting this far means the request state came back intact: the server
    # refuses state that fails its integrity check before the tool runs again.
    return f"state-ok: confirmed={_field(answer, 'ok')}"


@provider.tool
async def test_input_required_result_multiple_inputs(ctx: Context) -> str:
    """Asks the user, the client's model and the client's roots at once."""
    name, greeting, roots = await asyncio.gather(
        ctx.elicit("What is your name?", _form("name"), key="user_name"),
        ctx.sample("Generate a greeting", max_tokens=50, key="greeting"),
        ctx.list_roots(key="client_roots"),
    )
    uris = ", ".join(root.uri for root in roots) or "none"
    return f"Name: {_field(name, 'name')}; greeting: {greeting.text}; roots: {uris}"


@provider.tool
async def test_input_required_result_multi_round(ctx: Context) -> str:
    """Asks two questions, the second only once the first is answered."""
    first = await ctx.elicit("Step 1: What is your name?", _form("name"), key="step1")
    second = await ctx.elicit("Step 2: What is your favorite color?", _form("color"), key="step2")
    return f"Hello, {_field(first, 'name')}! Your favorite color is {_field(second, 'color')}."


@provider.tool
async def test_input_required_result_tampered_state(ctx: Context) -> str:
    """Asks for a confirmation; a request state changed on the way is refused."""
    answer = await ctx.elicit("Please confirm", _form("ok", "boolean"), key="confirm")
    return f"Confirmed: {_field(answer, 'ok')}"


@provider.tool
async def test_input_required_result_capabilities(ctx: Context) -> str:
    """Asks only what the client declared it can answer: its model, its user, or neither."""
    parts: list[str] = []
    if ctx.client_supports("sampling"):
        reply = await ctx.sample("What is the capital of France?", max_tokens=100, key="capital_question")
        parts.append(f"LLM response: {reply.text}")
    if ctx.client_supports("elicitation"):
        answer = await ctx.elicit("What is your name?", _form("name"), key="user_name")
        parts.append(f"Hello, {_field(answer, 'name')}!")
    return "; ".join(parts) or "The client declared neither sampling nor elicitation: nothing to ask."


# The only tool with a parameter the client mirrors into a header (the
# suite looks for the first one), and no other required parameter.
@provider.tool
def test_header_param(region: Annotated[str, Header("Region")]) -> str:
    """Echoes a parameter the client also sends as the Mcp-Param-Region header.

    Args:
        region: Any text; the header must carry the same.
    """
    return f"Region: {region}"


@provider.prompt
async def test_input_required_result_prompt(ctx: Context) -> list[object]:
    """A prompt that asks the user for its context first."""
    answer = await ctx.elicit("What context should the prompt use?", _form("context"), key="user_context")
    return [user(f"Answer with this context in mind: {_field(answer, 'context')}")]


# -- resources -------------------------------------------------------------------

# Its content never changes: any cache may keep it for a minute.
@provider.resource("test://static-text", name="static-text", mime_type="text/plain",
                   cache=CacheHint(ttl_ms=60000, scope="public"))
def static_text() -> str:
    """A static text resource."""
    return "This is the content of the static text resource."


@provider.resource("test://static-binary", name="static-binary", mime_type="image/png")
def static_binary() -> bytes:
    """A static binary resource (a PNG image)."""
    return PNG


@provider.resource("test://template/{id}/data", name="template-data", mime_type="application/json")
def template_data(id: str) -> str:
    """Data for one id, from a resource template."""
    return json.dumps({"id": id, "templateTest": True, "data": f"Data for ID: {id}"})


@provider.resource("test://watched-resource", name="watched-resource", mime_type="text/plain")
def watched_resource() -> str:
    """A resource clients can subscribe to."""
    return "Watched resource content"


# -- prompts ---------------------------------------------------------------------

@provider.prompt
def test_simple_prompt() -> str:
    """A simple prompt without arguments."""
    return "This is a simple prompt for testing."


@provider.prompt
def test_prompt_with_arguments(arg1: str, arg2: str) -> str:
    """A prompt with two required arguments.

    Args:
        arg1: First test argument.
        arg2: Second test argument.
    """
    return f"Prompt with arguments: arg1='{arg1}', arg2='{arg2}'"


@provider.prompt
def test_prompt_with_embedded_resource(resourceUri: str) -> list[object]:
    """A prompt that embeds a resource.

    Args:
        resourceUri: URI of the resource to embed.
    """
    return [
        user(EmbeddedResource(resourceUri, text="Embedded resource content for testing.", mime_type="text/plain")),
        user("Please process the embedded resource above."),
    ]


@provider.prompt
def test_prompt_with_image() -> list[object]:
    """A prompt with an image."""
    return [user(Image(PNG, "image/png")), user("Please analyze the image above.")]


@provider.completion(prompt="test_prompt_with_arguments", argument="arg1")
def complete_arg1(value: str) -> list[str]:
    return [word for word in ("paris", "park", "party", "test", "testing") if word.startswith(value)]
