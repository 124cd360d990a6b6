"""The bench provider: ``echo`` (pure request-path cost) and ``text_stats``
(a small realistic tool). Built by bench/build_server.sh.
"""

from __future__ import annotations

from bench_tools import echo, text_stats

from mcp_component import Provider

provider = Provider("bench", version="0.1.0", instructions="Benchmark tools.")
provider.add_tool(echo)
provider.add_tool(text_stats)
