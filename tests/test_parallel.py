"""generator.parallel: work in a forked process, with the serial run as the fallback for anything
that goes wrong there."""

from __future__ import annotations

import os
import threading

import pytest

from generator import parallel

needs_fork = pytest.mark.skipif(not parallel.available(),
                                reason="forking is off here (not Linux, threads running, or SDKFORGE_SERIAL set)")


@needs_fork
def test_runs_in_another_process() -> None:
    job = parallel.start(os.getpid)
    assert job.pid != 0
    assert job.result() not in (os.getpid(), 0)


@needs_fork
def test_result_round_trips_nested_data() -> None:
    value = {"a": [1, 2.5, None, True, "x" * 200_000], "b": {"c": ("t", b"\x00")}}
    assert parallel.start(lambda: value).result() == value


@needs_fork
def test_an_exception_in_the_child_is_raised_here_with_the_serial_run() -> None:
    calls: list[int] = []

    def boom() -> None:
        calls.append(os.getpid())
        raise ValueError("template failed")

    job = parallel.start(boom)
    with pytest.raises(ValueError, match="template failed"):
        job.result()
    assert calls == [os.getpid()]  # the child's append is not seen here: the parent ran it again


@needs_fork
def test_an_unmarshallable_result_falls_back_to_running_here() -> None:
    marker = object()
    assert parallel.start(lambda: marker).result() is marker


@needs_fork
def test_a_child_killed_midway_falls_back() -> None:
    def die() -> int:
        if os.getpid() != parent:
            os._exit(9)
        return 42

    parent = os.getpid()
    assert parallel.start(die).result() == 42


@needs_fork
def test_cancel_reaps_the_child() -> None:
    job = parallel.start(lambda: "x" * 5_000_000)  # larger than a pipe buffer: the child blocks writing
    pid = job.pid
    job.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)


def test_serial_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKFORGE_SERIAL", "1")
    job = parallel.start(os.getpid)
    assert job.pid == 0 and job.result() == os.getpid()


def test_serial_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        job = parallel.start(os.getpid)
        assert job.pid == 0 and job.result() == os.getpid()
    finally:
        stop.set()
        thread.join()
