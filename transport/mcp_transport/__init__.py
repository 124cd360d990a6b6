"""MCP over Streamable HTTP, as a component that imports a provider.

Layers, each one module: ``wasi_http`` (bytes in and out), ``http`` (the
transport rules), ``jsonrpc`` (messages), ``lifecycle`` (versions and
initialize), ``dispatch`` (methods), ``port``/``wit_port`` (the provider).
"""
