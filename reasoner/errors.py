"""One error class per pipeline stage, under one base class.

The CLI catches `PerimeterError` at its edge and turns it into a one-line message
and an exit code; nothing below the CLI prints.
"""

from __future__ import annotations


class PerimeterError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(PerimeterError):
    """A policy, scenario or invariant file that cannot be read or is invalid.

    The message names the file and the JSON path of the offending element:
    `bucket.json: Statement[2].Condition.StringLike: expected a string or list of strings`.
    """

    def __init__(self, source: str, path: str, message: str) -> None:
        self.source = source
        self.path = path
        self.message = message
        super().__init__(f"{source}: {path}: {message}" if path else f"{source}: {message}")


class EncodingError(PerimeterError):
    """A construct the SMT encoding cannot handle (reported as UNKNOWN, exit 3)."""

    def __init__(self, construct: str, message: str | None = None, where: str | None = None,
                 line: int | None = None) -> None:
        self.construct = construct
        self.message = message or f"unsupported construct: {construct}"
        self.where = where  # the policy statement it is in, e.g. "bucket.json: Statement[2], line 14"
        self.line = line  # that statement's line in its file, when known
        super().__init__(self.message if where is None else f"{self.message} (in {where})")

    def located(self, where: str, line: int | None = None) -> EncodingError:
        """The same error naming the statement it is in (the innermost place wins)."""
        return self if self.where is not None else EncodingError(self.construct, self.message, where, line)


class SolverError(PerimeterError):
    """The solver failed or answered something the caller cannot use."""


class WitnessError(PerimeterError):
    """A witness decoded from a model does not replay through the evaluator."""


class CollectError(PerimeterError):
    """A collection that cannot go on (`perimeter collect`; nothing is written): the
    caller or the organization's accounts cannot be read, the output folder is not
    one collect wrote, another collection is writing it."""
