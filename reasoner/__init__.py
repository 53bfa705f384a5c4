"""perimeter: prove an AWS IAM perimeter, or get the request that breaks it."""

__version__ = "0.1.0"


def tool_version() -> str:
    """The installed distribution's version (what `perimeter --version` and SARIF
    reports name), `__version__` when the package runs from a source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("iam-perimeter")
    except PackageNotFoundError:
        return __version__
