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


def project_url() -> str | None:
    """The project's home page as its installed metadata declares it (`[project.urls]`
    in pyproject.toml), or None: reports never name a made-up address."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        info = metadata("iam-perimeter")
    except PackageNotFoundError:
        return None
    candidates = [entry.split(",", 1)[-1].strip() for entry in info.get_all("Project-URL") or []]
    candidates.extend(info.get_all("Home-page") or [])  # absent from newer metadata
    return next((url for url in candidates if url.startswith("https://")), None)
