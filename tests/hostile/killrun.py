"""Run by test_writes.py in a subprocess: `killrun.py TARGET N -- <sdkforge generate arguments>`.

Runs the CLI in-process with one function used by `generator.write.write` replaced so that its
N-th call (counted from when `write` starts) SIGKILLs this process: the closest thing to pulling
the plug at an exact point of the write. TARGET is one of `os.rename`, `os.link`, `put` (writing one file),
`rmtree`, `staging` (creating the staging folder). If the N-th call never comes, the run finishes
normally (exit code 0).
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

from generator import write
from generator.cli import main


def killer(real: Any, n: int) -> Any:
    calls = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    return wrapped


def install(target: str, n: int) -> None:
    if target == "os.rename":
        os.rename = killer(os.rename, n)
    elif target == "os.link":
        os.link = killer(os.link, n)
    elif target == "put":
        write._put = killer(write._put, n)  # type: ignore[attr-defined]
    elif target == "rmtree":
        shutil.rmtree = killer(shutil.rmtree, n)
    elif target == "staging":
        write._new_staging = killer(write._new_staging, n)  # type: ignore[attr-defined]
    else:
        raise SystemExit(f"unknown target {target}")


def run() -> int:
    target, n, sep, *argv = sys.argv[1:]
    assert sep == "--"
    real_write = write.write

    def patched(output: Path, files: dict[str, str]) -> write.Changes:
        install(target, int(n))  # only now: building the files must not trip it
        return real_write(output, files)

    write.write = patched  # type: ignore[assignment]
    return main(argv)


if __name__ == "__main__":
    sys.exit(run())
