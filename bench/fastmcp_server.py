"""FastMCP serving the bench tools: stateless HTTP, JSON responses, log
level WARNING. Runs in its own venv (build/bench/fastmcp-venv), made by
the harness when ``pip install fastmcp`` works.

    build/bench/fastmcp-venv/bin/python -m bench.fastmcp_server --port 8000
"""

from __future__ import annotations

import argparse

from fastmcp import FastMCP  # type: ignore[import-not-found]  # only in the FastMCP venv

from bench.provider.bench_tools import echo, text_stats


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fastmcp_server")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server = FastMCP("bench", version="0.1.0")
    server.tool(echo)
    server.tool(text_stats)
    server.run("http", show_banner=False, host="127.0.0.1", port=args.port, log_level="WARNING",
               json_response=True, stateless_http=True)


if __name__ == "__main__":
    main()
