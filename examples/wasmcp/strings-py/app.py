"""String tools and one resource, on componentize-py's raw bindings.

Written the way wasmcp's Python template writes a capability: the classes
are named after the exported interfaces, schemas are JSON written by hand,
and results are the generated records and variants. A tool or URI this
component does not know is answered with None, so that the next component
in a wasmcp chain may take it.
"""

import json

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import mcp, server_handler

TEXT_ARGUMENT = json.dumps({
    "type": "object",
    "properties": {"text": {"type": "string", "description": "The text to work on"}},
    "required": ["text"],
})

OPERATIONS = {
    "reverse": ("Reverse", lambda text: text[::-1]),
    "uppercase": ("Uppercase", str.upper),
    "count_words": ("Count words", lambda text: str(len(text.split()))),
}

README_URI = "strings://readme"


def text_block(text: str) -> mcp.ContentBlock:
    return mcp.ContentBlock_Text(mcp.TextContent(text=mcp.TextData_Text(text), options=None))


def result(text: str, is_error: bool = False) -> mcp.CallToolResult:
    return mcp.CallToolResult(meta=None, content=[text_block(text)], is_error=is_error or None,
                              structured_content=None)


class Tools(exports.Tools):
    def list_tools(self, ctx: server_handler.MessageContext,
                   request: mcp.ListToolsRequest) -> mcp.ListToolsResult:
        tools = [
            mcp.Tool(name=name, input_schema=TEXT_ARGUMENT, options=mcp.ToolOptions(
                meta=None, annotations=mcp.ToolAnnotations(title=None, read_only_hint=True, destructive_hint=None,
                                                           idempotent_hint=True, open_world_hint=False),
                description=f"{title} the given text.", output_schema=None, title=title, icons=None))
            for name, (title, _) in OPERATIONS.items()
        ]
        return mcp.ListToolsResult(meta=None, next_cursor=None, tools=tools)

    def call_tool(self, ctx: server_handler.MessageContext,
                  request: mcp.CallToolRequest) -> mcp.CallToolResult | None:
        if request.name not in OPERATIONS:
            return None
        try:
            arguments = json.loads(request.arguments or "{}")
        except ValueError as exc:
            return result(f"arguments are not JSON: {exc}", is_error=True)
        text = arguments.get("text") if isinstance(arguments, dict) else None
        if not isinstance(text, str):
            return result("'text' must be a string", is_error=True)
        return result(OPERATIONS[request.name][1](text))


class Resources(exports.Resources):
    def list_resources(self, ctx: server_handler.MessageContext,
                       request: mcp.ListResourcesRequest) -> mcp.ListResourcesResult:
        readme = mcp.McpResource(uri=README_URI, name="readme", options=mcp.ResourceOptions(
            size=None, title="About these tools", description=None, mime_type="text/markdown",
            annotations=None, meta=None, icons=None))
        return mcp.ListResourcesResult(meta=None, next_cursor=None, resources=[readme])

    def read_resource(self, ctx: server_handler.MessageContext,
                      request: mcp.ReadResourceRequest) -> mcp.ReadResourceResult | None:
        if request.uri != README_URI:
            return None
        body = "# strings\n\nTools: " + ", ".join(OPERATIONS) + ".\n"
        contents = mcp.ResourceContents_Text(mcp.TextResourceContents(
            uri=README_URI, text=mcp.TextData_Text(body),
            options=mcp.EmbeddedResourceOptions(mime_type="text/markdown", meta=None)))
        return mcp.ReadResourceResult(meta=None, contents=[contents])

    def list_resource_templates(self, ctx: server_handler.MessageContext,
                                request: mcp.ListResourceTemplatesRequest) -> mcp.ListResourceTemplatesResult:
        if request.cursor is not None:
            raise Err(mcp.ErrorCode_InvalidParams(mcp.Error(code=-32602, message="unknown cursor", data=None)))
        return mcp.ListResourceTemplatesResult(meta=None, next_cursor=None, resource_templates=[])
