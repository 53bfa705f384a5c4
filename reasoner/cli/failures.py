"""What an error that stops a command becomes: its exit code and its one-line message."""

from __future__ import annotations

from reasoner.errors import EncodingError, SolverError

EXIT_BAD_INPUT = 2
EXIT_UNKNOWN = 3


def exit_code_for(error: Exception) -> int:
    """A construct the encoding does not support, or a solver that gives up, is UNKNOWN
    (exit 3), never PASS; every other error (bad input, a file that cannot be read) is 2."""
    return EXIT_UNKNOWN if isinstance(error, EncodingError | SolverError) else EXIT_BAD_INPUT


def one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror}"
    return " ".join(str(error).split())
