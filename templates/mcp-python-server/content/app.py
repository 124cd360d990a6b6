"""An MCP server with tools, resources and prompts: {{project-name}}.

{{project-description}}

The example is a small glossary: tools look terms up and slugify text,
resources list and show terms, a prompt asks a model to explain one, and
completion suggests term names. Replace it with your own functions.
`make build` turns this file into a WebAssembly component; `make test`
runs test_app.py on it in plain CPython.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated

from annotated_types import Ge, Le

from mcp_component import (
    Context,
    Message,
    Provider,
    ResourceNotFoundError,
    ToolAnnotations,
    ToolError,
    user,
)

provider = Provider(
    "{{project-name | kebab_case}}",
    version="0.1.0",
    instructions="A glossary: look terms up with tools, read them as glossary:// resources, "
    "or use the explain_term prompt.",
)

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

GLOSSARY: dict[str, str] = {
    "component": "A WebAssembly module with typed imports and exports, described in WIT.",
    "mcp": "The Model Context Protocol: how AI applications reach tools, resources and prompts.",
    "wit": "WebAssembly Interface Types: the language component interfaces are written in.",
}


# -- tools ---------------------------------------------------------------------

@dataclass
class Definition:
    term: str
    definition: str


@provider.tool(annotations=READ_ONLY)
def define(term: str) -> Definition:
    """Look a term up in the glossary.

    Args:
        term: The term, in any case.
    """
    key = term.strip().lower()
    if key not in GLOSSARY:
        raise ToolError(f"{term!r} is not in the glossary; known terms: {', '.join(sorted(GLOSSARY))}")
    return Definition(key, GLOSSARY[key])


@provider.tool(annotations=READ_ONLY)
async def slugify(titles: list[str], ctx: Context,
                  max_length: Annotated[int, Ge(1), Le(200)] = 60) -> list[str]:
    """Turn titles into lowercase, URL-safe slugs, reporting progress.

    Args:
        titles: The titles, in any script; accents are dropped.
        max_length: The longest slug to return.
    """
    slugs = []
    for done, title in enumerate(titles, start=1):
        ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
        slugs.append(re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].rstrip("-"))
        await ctx.report_progress(done, len(titles))
    await ctx.info(f"slugified {len(titles)} titles")
    return slugs


# -- resources -----------------------------------------------------------------

@provider.resource("glossary://terms", title="All terms", mime_type="application/json")
def terms() -> list[str]:
    """The terms in the glossary."""
    return sorted(GLOSSARY)


@provider.resource("glossary://terms/{term}", mime_type="text/plain")
def term_definition(term: str) -> str:
    """The definition of one term."""
    if term not in GLOSSARY:
        raise ResourceNotFoundError(f"no term {term!r}")
    return GLOSSARY[term]


# -- prompts -------------------------------------------------------------------

@provider.prompt
def explain_term(term: str, audience: str = "a newcomer") -> list[Message]:
    """Ask for an explanation of a glossary term.

    Args:
        term: The term (see glossary://terms).
        audience: Who the explanation is for.
    """
    definition = GLOSSARY.get(term.lower(), "(not in the glossary)")
    return [user(f"Explain '{term}' to {audience}. Our glossary says: {definition}")]


@provider.completion(prompt="explain_term", argument="term")
def complete_term(value: str) -> list[str]:
    """Complete term names for the explain_term prompt."""
    return [term for term in sorted(GLOSSARY) if term.startswith(value.lower())]
