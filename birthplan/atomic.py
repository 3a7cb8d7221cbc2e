"""Write files so that a crash leaves either the old file or the new one,
readable only by their owner.

Every file birthplan writes (the starter plan, rendered documents, calendars,
history versions and logs, imported plans, batch state) goes through here:
temporary file in the same folder, flush, fsync, rename over the target, then
fsync the folder so the rename itself survives a power cut. Every folder it
creates goes through ``make_private_dir``.

Owner-only: the files hold special category data (health, safeguarding), so
each is created mode 0600 and each new folder 0700 whatever the umask. The
mode is set on the temporary file before any data is written, so there is no
moment at which the content is readable by others. Folders that already exist
(e.g. the user's own ``out/``) keep the permissions their owner gave them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms cannot open folders; nothing more to do
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


FILE_MODE = 0o600  # owner read and write
DIR_MODE = 0o700  # owner only


def make_private_dir(directory: Path | str) -> Path:
    """Create ``directory`` and any missing parents, each mode 0700 (existing ones untouched)."""
    directory = Path(directory)
    missing = []
    for folder in (directory, *directory.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:  # made by a parallel writer (e.g. a batch worker) meanwhile
            if not folder.is_dir():
                raise
            continue
        os.chmod(folder, DIR_MODE)  # exactly 0700, whatever the umask
        fsync_dir(folder.parent)
    return directory


def write_bytes_atomic(path: Path | str, data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically.

    With ``overwrite=False`` an existing file is never replaced (a hard link
    publishes the new file, which fails if the name is taken), so a recorded
    history version cannot be rewritten by a race.
    """
    path = Path(path)
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        # Owner-only before the first byte is written (see the module's docstring).
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # raises FileExistsError if the name is taken
            tmp.unlink()
        fsync_dir(directory)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path | str, text: str, *, overwrite: bool = True) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)
