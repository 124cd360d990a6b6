"""MCP resources and prompts of {{project-name}}.

{{project-description}}

A resource is a function that answers a URI: a fixed URI, or a template
whose {variables} become parameters. A prompt is a function returning the
messages to send a model. `make build` turns this file into a WebAssembly
component; `make test` runs test_app.py on it in plain CPython.
"""

from __future__ import annotations

from mcp_component import Message, Provider, ResourceNotFoundError, assistant, user

provider = Provider(
    "{{project-name | kebab_case}}",
    version="0.1.0",
    instructions="Notes to read as resources (notes://...), and prompts that work with them.",
)

NOTES: dict[str, str] = {
    "welcome": "Welcome! This server offers notes as MCP resources and prompts to use them.",
    "ideas": "1. Add a note.\n2. Add a prompt.\n3. make build, then spin up.",
}


@provider.resource("notes://index", title="All notes", mime_type="application/json")
def index() -> dict[str, list[str]]:
    """The names of all notes."""
    return {"notes": sorted(NOTES)}


@provider.resource("notes://notes/{name}", mime_type="text/plain")
def note(name: str) -> str:
    """One note, by name."""
    if name not in NOTES:
        raise ResourceNotFoundError(f"no note called {name!r}")
    return NOTES[name]


@provider.prompt
def summarize_note(name: str, words: int = 20) -> list[Message]:
    """Ask for a short summary of a note.

    Args:
        name: The note's name (see notes://index).
        words: About how many words the summary may have.
    """
    if name not in NOTES:
        raise ValueError(f"no note called {name!r}")
    return [
        user(f"Summarize this note in at most {words} words:\n\n{NOTES[name]}"),
        assistant("Here is the summary:"),
    ]


@provider.completion(prompt="summarize_note", argument="name")
def note_names(value: str) -> list[str]:
    """Complete note names for the summarize_note prompt."""
    return [name for name in sorted(NOTES) if name.startswith(value)]
