"""Writing output files so that a failure never leaves a partial file behind.

Each file is written to a temporary file in the target folder, flushed to disk,
then renamed over the target with ``os.replace`` (atomic on one file system).
A set of files (``--all-steps``) is renamed into place only once every one of
them has been written; they are written one at a time as they are made, so a
long set needs the memory of one file.

Temporaries are named ``.export-PID-XXXXXXXX.tmp``. An exception or a
termination signal removes them; a process killed outright cannot, so the next
export into the same folder removes those whose process is gone.
"""
from __future__ import annotations

import glob
import os
import re
import tempfile
import time
from collections.abc import Iterable

from .pipeline import ExportError

TEMPORARY_PREFIX = ".export-"
TEMPORARY_SUFFIX = ".tmp"
_OWNER = re.compile(r"\.export-(\d+)-[^/]*\.tmp$")
# Temporaries named before they carried their process's id are removed once surely abandoned.
UNOWNED_AGE_S = 3600


def check_target(path: str, source: str | None = None):
    """Fail early, before any work, when ``path`` cannot be written (or is ``source`` itself)."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ExportError(f"{path}: is a folder, not a file name")
    if not os.path.isdir(folder):
        raise ExportError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"{path}: the folder {folder} is not writable")
    if source is not None and _same_file(source, path):
        raise ExportError(f"{path}: is the file being converted; choose another name")


def write_files(contents: Iterable[tuple[str, bytes]]) -> list[str]:
    """Write every (path, bytes) pair, taking each from ``contents`` only when the one
    before is on disk; all of them appear, or none of the new ones do. Returns the paths."""
    temporaries = []
    path = None
    try:
        for path, data in contents:
            if not temporaries:
                remove_stale_temporaries(os.path.dirname(os.path.abspath(path)))
            temporaries.append((_write_temporary(path, data), path))
            del data
        for temporary, path in temporaries:
            os.replace(temporary, path)
    except OSError as error:
        where = error.filename or path
        raise ExportError(f"{where}: cannot write: {error.strerror or error}") from None
    finally:
        for temporary, _path in temporaries:
            if os.path.exists(temporary):
                os.unlink(temporary)
        if path is not None:
            # A signal between making a temporary and recording it leaves one unrecorded.
            remove_own_temporaries(os.path.dirname(os.path.abspath(path)))
    return [path for _temporary, path in temporaries]


def write_file(path: str, data: bytes):
    write_files([(path, data)])


def remove_stale_temporaries(folder: str):
    """Remove the temporaries in ``folder`` that a killed export left behind."""
    now = time.time()
    for temporary in glob.glob(os.path.join(glob.escape(folder), f"{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}")):
        owner = _OWNER.search(temporary)
        try:
            if owner is not None:
                if _running(int(owner.group(1))):
                    continue
            elif now - os.lstat(temporary).st_mtime < UNOWNED_AGE_S:
                continue
            os.unlink(temporary)
        except OSError:
            pass  # gone already, or someone else's to remove


def remove_own_temporaries(folder: str):
    """Remove this process's temporaries in ``folder`` (it is being ended, or failed)."""
    pattern = f"{TEMPORARY_PREFIX}{os.getpid()}-*{TEMPORARY_SUFFIX}"
    for temporary in glob.glob(os.path.join(glob.escape(folder), pattern)):
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _same_file(first: str, second: str) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:  # either is missing
        return False


def _write_temporary(path: str, data: bytes) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-",
                                         suffix=TEMPORARY_SUFFIX, dir=folder)
    try:
        # mkstemp makes the file private; an exported picture gets the usual permissions.
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _umask() -> int:
    # The only portable way to read the umask is to set it and put it back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
