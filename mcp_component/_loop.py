"""The asyncio event loop an ``async def`` tool call runs on.

Every call of an async tool gets a loop of its own (:func:`new_loop`),
closed when the call ends. It is an ordinary asyncio selector loop, so
``asyncio.sleep``, ``gather``, ``wait_for``, ``Event``, ``Queue``, tasks
and timeouts work, with one difference that makes it run inside a
WebAssembly component: its selector, :class:`SleepSelector`, watches no
file descriptors and waits by sleeping (``time.sleep``, which WASI's
monotonic clock serves). A component has no ``select()`` on sockets, no
``socketpair()`` for the usual self-pipe and no threads, so the loop:

- refuses sockets, pipes and subprocesses with a clear error
  (:class:`Unavailable`); outbound HTTP goes through ``mcp_component.http``;
- refuses ``run_in_executor`` / ``asyncio.to_thread`` (no threads);
- fails a call whose tasks all wait for something nothing can complete
  (an ``asyncio.Event`` nobody sets) instead of hanging (:class:`Stalled`).

The same loop runs in plain CPython, so a tool behaves in the in-memory
test client as it does in a component.

componentize-py bundles only the modules imported at build time, so every
module the loop may need is imported here, at the top, never lazily.
"""

from __future__ import annotations

import asyncio
import asyncio.base_events  # noqa: F401
import asyncio.selector_events
import asyncio.timeouts  # noqa: F401
import concurrent.futures  # noqa: F401
import heapq  # noqa: F401
import selectors
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

__all__ = [
    "SleepSelector", "Stalled", "ToolLoop", "Unavailable", "new_loop", "run_here_or_in_a_thread", "shut_down",
]

T = TypeVar("T")

NO_SOCKETS = (
    "sockets are not available to a tool (a component has none); "
    "for outbound HTTP use mcp_component.http"
)
NO_PROCESSES = "subprocesses and pipes are not available to a tool (a component has none)"
NO_THREADS = (
    "threads are not available to a tool (a component has none), so "
    "run_in_executor and asyncio.to_thread cannot be used; call blocking code "
    "directly (it blocks the call while it runs)"
)
STALLED = (
    "the tool is waiting for something that nothing can complete: no task can "
    "run and no timer is pending (an asyncio.Event or Future that nobody sets?)"
)


class Unavailable(NotImplementedError):
    """Something a component cannot offer: sockets, subprocesses, threads."""


class Stalled(RuntimeError):
    """Every task of the call waits, and nothing (no timer) can wake one."""


class SleepSelector(selectors.BaseSelector):
    """A selector with no file descriptors: :meth:`select` only sleeps.

    asyncio asks its selector for I/O events, waiting at most until the next
    timer is due; with nothing to watch, that wait is a plain ``time.sleep``.
    ``select(None)`` (nothing is due, ever) means the call is stuck, and
    raises :class:`Stalled`.
    """

    def register(self, fileobj: Any, events: int, data: Any = None) -> NoReturn:
        raise Unavailable(NO_SOCKETS)

    def unregister(self, fileobj: Any) -> NoReturn:
        raise KeyError(f"{fileobj!r} is not registered")

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None:
            raise Stalled(STALLED)
        if timeout > 0:
            time.sleep(timeout)
        return []

    def close(self) -> None:
        pass

    def get_map(self) -> Mapping[Any, selectors.SelectorKey]:
        return {}


class ToolLoop(asyncio.selector_events.BaseSelectorEventLoop):
    """A selector event loop on a :class:`SleepSelector`, without a self-pipe.

    The self-pipe (a ``socketpair``) only wakes a loop blocked in
    ``select()`` from another thread or a signal handler; a component has
    neither threads nor sockets, and this loop never blocks on descriptors.
    """

    def __init__(self) -> None:
        super().__init__(SleepSelector())

    def _make_self_pipe(self) -> None:
        pass

    def _close_self_pipe(self) -> None:
        pass

    def _write_to_self(self) -> None:
        pass


def _refuse(name: str, message: str) -> Callable[..., NoReturn]:
    def refused(self: ToolLoop, *args: Any, **kwargs: Any) -> NoReturn:
        raise Unavailable(message)

    refused.__name__ = refused.__qualname__ = name
    return refused


# Refused up front, so the error names the cause rather than a failing
# DNS lookup (which runs in a thread), socket() or socketpair().
for _name in (
    "getaddrinfo", "getnameinfo", "create_connection", "create_server",
    "create_datagram_endpoint", "create_unix_connection", "create_unix_server",
    "connect_accepted_socket", "start_tls", "sendfile", "sock_recv", "sock_recv_into",
    "sock_recvfrom", "sock_recvfrom_into", "sock_sendall", "sock_sendto",
    "sock_connect", "sock_accept", "sock_sendfile", "add_reader", "add_writer",
):
    setattr(ToolLoop, _name, _refuse(_name, NO_SOCKETS))
for _name in ("subprocess_exec", "subprocess_shell", "connect_read_pipe", "connect_write_pipe"):
    setattr(ToolLoop, _name, _refuse(_name, NO_PROCESSES))
# asyncio.to_thread goes through run_in_executor.
setattr(ToolLoop, "run_in_executor", _refuse("run_in_executor", NO_THREADS))


def new_loop() -> ToolLoop:
    """A fresh loop for one call; the caller closes it."""
    return ToolLoop()


def run_here_or_in_a_thread(func: Callable[[], T]) -> T:
    """``func()``, run where no other event loop is running.

    A loop cannot run in a thread that already runs one: the in-memory test
    client may be called from an ``async`` test, which runs its own. Then
    ``func`` runs in a fresh thread while this one waits (a component never
    runs a loop around a call, and has no threads).
    """
    if not _loop_running_here():
        return func()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = func()
        except BaseException as exc:  # handed to the waiting thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="mcp-component-tool-call", daemon=True)
    try:
        thread.start()
    except RuntimeError as exc:
        raise RuntimeError(
            "a tool call cannot run its event loop here: this thread already runs one "
            "and no thread can be started for the call"
        ) from exc
    thread.join()
    if "error" in outcome:
        error: BaseException = outcome["error"]
        raise error
    value: T = outcome["value"]
    return value



def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def shut_down(loop: ToolLoop) -> None:
    """Cancel the tasks left on ``loop``, let them finish, and close it.

    What ``asyncio.run`` does at the end, for tasks a tool started and did
    not await. Raises :class:`Stalled` if a cancelled task keeps waiting on
    nothing; the loop is closed either way.
    """
    try:
        tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()
