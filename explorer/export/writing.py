"""Writing output files so that a failure never leaves a partial file behind.

Each file is written to a temporary file in the target folder, flushed to disk,
then renamed over the target with ``os.replace`` (atomic on one file system).
A set of files (``--all-steps``) is renamed into place only once every one of
them has been written.
"""
from __future__ import annotations

import os
import tempfile

from .pipeline import ExportError


def check_target(path: str):
    """Fail early, before any work, when ``path`` cannot be written."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ExportError(f"{path}: is a folder, not a file name")
    if not os.path.isdir(folder):
        raise ExportError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"{path}: the folder {folder} is not writable")


def write_files(contents: list[tuple[str, bytes]]):
    """Write every (path, bytes) pair; all of them appear, or none of the new ones do."""
    temporaries = []
    try:
        for path, data in contents:
            temporaries.append((_write_temporary(path, data), path))
        for temporary, path in temporaries:
            os.replace(temporary, path)
    except OSError as error:
        where = error.filename or contents[0][0]
        raise ExportError(f"{where}: cannot write: {error.strerror or error}") from None
    finally:
        for temporary, _path in temporaries:
            if os.path.exists(temporary):
                os.unlink(temporary)


def write_file(path: str, data: bytes):
    write_files([(path, data)])


def _write_temporary(path: str, data: bytes) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".tmp", dir=folder)
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
