"""Directories where writing fails for real: read-only, or too small for what is written.

As root (the CI container), a tmpfs is mounted: read-only, or a few kilobytes in size, so the
kernel refuses the write (EROFS, ENOSPC) as a mounted read-only path or a full disk would. A
non-root user cannot mount: a directory without write permission refuses writes just as well,
and a file-size limit (RLIMIT_FSIZE) stands in for the full disk.
"""

import contextlib
import os
import resource
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path


def _mount(path: Path, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return mounted.returncode == 0


@contextlib.contextmanager
def read_only_directory(path: Path) -> Iterator[Path]:
    """Yield `path` as a directory no process may write in, not even root."""
    path.mkdir(parents=True, exist_ok=True)
    if _mount(path, "ro,size=16k"):
        try:
            yield path
        finally:
            subprocess.run(["umount", str(path)], check=True)
        return
    path.chmod(0o555)
    try:
        yield path
    finally:
        path.chmod(0o755)


@contextlib.contextmanager
def full_disk(path: Path, size_kb: int) -> Iterator[Callable[[], None] | None]:
    """Make `path` a disk of `size_kb` kilobytes; yield None, or a preexec_fn limiting file size.

    Whatever is in `path` before stays there (it is copied onto the small disk).
    """
    path.mkdir(parents=True, exist_ok=True)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime) for p in path.iterdir() if p.is_file()}
    if _mount(path, f"size={size_kb}k,mode=0755"):
        for name, (data, mtime) in before.items():
            (path / name).write_bytes(data)
            os.utime(path / name, (mtime, mtime))
        try:
            yield None
        finally:
            subprocess.run(["umount", str(path)], check=True)
        return

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size_kb * 1024, size_kb * 1024))

    yield limit_file_size
