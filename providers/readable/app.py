"""Numbers and durations in words people read, with a package from PyPI.

`humanize` comes from requirements.txt beside this file: `make build
PROVIDER=readable` installs it into build/deps/readable and bundles it into
the component; `make test-provider PROVIDER=readable` runs test_app.py
with it.
"""

from __future__ import annotations

from typing import Annotated

import humanize
from annotated_types import Ge

from mcp_component import Provider

provider = Provider("readable", version="1.0.0",
                    instructions="Turn numbers, sizes and durations into words people read.")


@provider.tool
def file_size(size: Annotated[int, Ge(0)], binary: bool = False) -> str:
    """A byte count as a size people read, such as "3.0 MB".

    Args:
        size: The number of bytes.
        binary: Powers of 1024 (KiB, MiB) instead of 1000.
    """
    return humanize.naturalsize(size, binary=binary)


@provider.tool
def duration(seconds: Annotated[float, Ge(0)]) -> str:
    """A number of seconds in words, such as "an hour"."""
    return humanize.naturaldelta(seconds)


@provider.tool
def ordinal(number: int) -> str:
    """A number as an ordinal, such as "3rd"."""
    return humanize.ordinal(number)


@provider.tool
def in_words(number: int) -> str:
    """A large number in words, such as "1.2 million"."""
    return humanize.intword(number)
