"""Run a piece of the pipeline in a forked process while this one goes on: a second core for the
two long, independent pieces of a big spec (half of the YAML parse, rendering the docs).

`start(fn)` forks; the child calls `fn()` and sends the result back through a pipe as `marshal`
data (plain str/int/float/bool/None/list/dict/tuple trees only). `Job.result()` reads it. The child
shares nothing back but that result, so the output is the same bytes whether or not it ran apart.

Whenever the child cannot deliver (fn raised, the result does not marshal, the child died, no fork
on this platform, threads running, `SDKFORGE_SERIAL=1`), `result()` calls `fn()` here instead: an
error is then raised, with its real traceback, exactly as in a serial run.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def available() -> bool:
    """Forking is used on Linux only (macOS frameworks are not fork-safe), never with other threads
    running (a lock one of them holds would stay locked in the child), and not under SDKFORGE_SERIAL."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1
            and not os.environ.get("SDKFORGE_SERIAL"))


class Job(Generic[T]):
    def __init__(self, fn: Callable[[], T]) -> None:
        self.fn = fn
        self.pid = 0
        self.fd = -1
        if not available():
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(fn, write)
        os.close(write)
        self.pid, self.fd = pid, read

    def result(self) -> T:
        if self.pid:
            payload = _drain(self.fd)
            os.close(self.fd)
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
            if os.waitstatus_to_exitcode(status) == 0 and payload:
                try:
                    value: T = marshal.loads(payload)
                    return value
                except (EOFError, ValueError, TypeError):
                    pass
        return self.fn()  # serially: the same value, or the same exception with its traceback

    def cancel(self) -> None:
        """Drop the child's work (an earlier stage failed, or it is not needed): stop and reap it."""
        if self.pid:
            os.close(self.fd)
            with contextlib.suppress(ProcessLookupError):  # it may have ended already
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0


def _child(fn: Callable[[], Any], fd: int) -> None:
    code = 1
    try:
        data = marshal.dumps(fn())
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the parent runs fn again and reports it properly
        pass
    finally:
        os._exit(code)  # no atexit handlers, no buffered output flushed twice, no test runner teardown


def _drain(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def start(fn: Callable[[], T]) -> Job[T]:
    return Job(fn)
