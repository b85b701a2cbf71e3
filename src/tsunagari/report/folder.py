"""A report folder is written beside its place and swapped in whole: never a mix of two."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from tsunagari.errors import FileSystemError
from tsunagari.graph.build import pid_alive

RENAME_EXCHANGE = 2  # renameat2(2) flag: swap two paths atomically (Linux 3.15+)
AT_FDCWD = -100


def check_out(out: Path) -> None:
    """Before any work: `out` is missing, empty, or a report folder of ours (never the
    user's own folder, which the swap would replace)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise FileSystemError(f"cannot write the report to {out}: it is not a folder")
    if out.is_dir() and any(out.iterdir()) and not is_report(out):
        raise FileSystemError(
            f"{out} is a folder of other files, not a tsunagari report; "
            "choose another --out (a report replaces its folder whole)"
        )
    parent = next((p for p in out.absolute().parents if p.exists()), None)
    if parent is None or not os.access(parent, os.W_OK | os.X_OK):
        raise FileSystemError(f"cannot write the report to {out}: {parent} is not writable")


def is_report(folder: Path) -> bool:
    """What a report folder holds: index.html beside csv/."""
    return (folder / "index.html").is_file() and (folder / "csv").is_dir()


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield a hidden folder beside `out` to write into; when the block ends normally it
    replaces `out` in one step, and when it does not (an error, Ctrl-C) it is removed and
    `out` stays as it was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    work = out.with_name(f".{out.name}.writing-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        yield work
        _swap(work, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the new one on failure, else the old one


def _swap(work: Path, out: Path) -> None:
    if not out.exists():
        os.rename(work, out)
        return
    if sys.platform.startswith("linux") and _exchange(work, out):
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)  # elsewhere: two renames, with a moment in which `out` is missing
    os.rename(work, out)
    os.rename(old, work)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return bool(done == 0)


def _remove_stale(out: Path) -> None:
    """Folders of report writers that died (their pid is gone)."""
    for stale in out.parent.glob(f".{out.name}.*-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or int(pid) == os.getpid() or pid_alive(int(pid)):
            continue
        shutil.rmtree(stale, ignore_errors=True)
