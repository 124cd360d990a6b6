"""Unit tests of app.py in plain CPython, no Wasm build: `make test`."""

import pytest
from mcp_component.testing import Client, ClientError

import app

client = Client(app.provider)


def test_lists_resources_and_templates() -> None:
    assert [r["uri"] for r in client.list_resources()["resources"]] == ["notes://index"]
    templates = client.list_resource_templates()["resourceTemplates"]
    assert [t["uriTemplate"] for t in templates] == ["notes://notes/{name}"]


def test_reads_a_note() -> None:
    contents = client.read_resource("notes://notes/welcome")["contents"]
    assert contents[0]["text"].startswith("Welcome!")


def test_unknown_note_is_not_found() -> None:
    with pytest.raises(ClientError) as error:
        client.read_resource("notes://notes/nope")
    assert error.value.code == -32002


def test_prompt_and_completion() -> None:
    messages = client.get_prompt("summarize_note", {"name": "ideas"})["messages"]
    assert messages[0]["role"] == "user" and "Add a note" in messages[0]["content"]["text"]
    completion = client.complete({"type": "ref/prompt", "name": "summarize_note"}, {"name": "name", "value": "w"})
    assert completion["completion"]["values"] == ["welcome"]
