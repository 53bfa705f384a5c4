"""`SymbolicRequest`: the z3 variables of one request.

A symbolic request is built for a collection of policies: it has terms for the
caller, the action, the resource, and, for every context key the policies refer to
(in a condition or as a policy variable), its presence and its value(s). A key's
values are typed by the operator families that use it:

- text (String, ARN, Bool, Binary operators, and policy variables): a z3 string;
- real (Numeric and Date operators; `aws:EpochTime` is both, §3.1): one real plus
  a flag per family saying whether the text parses as a number / as a date;
- ip (IpAddress operators): a 128-bit vector, an `is_v4` flag and a validity flag.

A key used by two of these kinds raises `EncodingError`.

Context values are those the evaluator sees (`evaluate.Context`): exactly the
request's context (nothing derived from the caller; tying keys such as
`aws:PrincipalArn` to the caller is the query's business). A key is *given* when
the evaluator's context holds it (what every operator tests for a missing key),
and *present* when it has at least one value. A single-valued key given as an
empty list is not given; a multivalued key given as an empty list is given with
no values.

Whether a key is multivalued is the catalogue's word (`catalogue.is_multivalued`),
as in the evaluator; a single-valued key keeps only its first value. Multivalued
keys get a bounded number of value slots: a count plus slot values, slot `i`
holding a value iff `i < count`. Bound: for a multivalued key the evaluator's
conditions are "some value satisfies φ" (ForAnyValue) or "every value satisfies
φ" (ForAllValues), or depend only on whether the key is given (Null, plain
operators, which match nothing on such a key); such a key never resolves a
policy variable. Take any value list V satisfying a combination of these atoms;
keep one witness for each true "some" atom and each false "every" atom. "Every"
atoms stay true on a sub-list, "some" atoms keep their witnesses, and
givenness is a separate term. So #conditions on the key slots suffice; we keep
one more. `tests/test_encodings_request.py` checks that more slots never find
more.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from ipaddress import IPv4Address, IPv6Address

import z3

from reasoner.encodings import ips, numbers
from reasoner.encodings.actions import ActionDomain
from reasoner.encodings.arns import ArnParts
from reasoner.encodings.memo import per_request
from reasoner.encodings.options import DEFAULT as DEFAULT_ENCODING
from reasoner.encodings.options import EncodingOptions
from reasoner.encodings.strings import any_char_except, string_of, string_val
from reasoner.encodings.terms import FALSE, TRUE, bool_val
from reasoner.errors import EncodingError
from reasoner.evaluation.evaluate import Context, resource_pattern_tokens
from reasoner.policy.catalogue import is_multivalued
from reasoner.policy.matching import Variable, tokenize
from reasoner.policy.model import OperatorFamily, Policy, Principal, PrincipalKind, Request

PRINCIPAL_KIND_SORT, _KIND_VALUES = z3.EnumSort("PrincipalKind", [kind.name for kind in PrincipalKind])
_KIND_BY_NAME = {kind.name: kind for kind in PrincipalKind}


def kind_value(kind: PrincipalKind) -> z3.ExprRef:
    return _KIND_VALUES[list(PrincipalKind).index(kind)]


def kind_cases(sym: SymbolicRequest) -> list[tuple[PrincipalKind, z3.BoolRef]]:
    """One formula per principal kind, `principal_kind == kind`: a case split."""
    return [(kind, sym.principal_kind == kind_value(kind)) for kind in KIND_ORDER]


# The kinds whose caller has an account of its own.
ACCOUNT_KINDS = frozenset({PrincipalKind.USER, PrincipalKind.ROLE_SESSION, PrincipalKind.ROLE,
                           PrincipalKind.ACCOUNT_ROOT, PrincipalKind.FEDERATED_USER})


def account_case(sym: SymbolicRequest, kind: PrincipalKind, account: str, owner: str) -> z3.BoolRef:
    """A caller of `kind` in `account` on a resource of `owner`: a sub-case of the
    kind. z3 finds such a caller in milliseconds where choosing the twelve digits
    of both accounts itself can take seconds, so a witness is looked for here
    first (a SAT sub-case is a SAT query; an UNSAT one proves nothing about the
    kind)."""
    return z3.And(sym.principal_kind == kind_value(kind), sym.has_account,
                  sym.principal_account == string_val(account), sym.has_resource_account,
                  sym.resource_account == string_val(owner))


# The kinds most witnesses have first: the split stops when its time share is spent.
KIND_ORDER = (PrincipalKind.USER, PrincipalKind.ROLE_SESSION, PrincipalKind.ANONYMOUS, PrincipalKind.ACCOUNT_ROOT,
              PrincipalKind.ROLE, PrincipalKind.SERVICE, PrincipalKind.FEDERATED_USER, PrincipalKind.WEB_IDENTITY,
              PrincipalKind.CANONICAL_USER)


class ValueKind(Enum):
    TEXT = "text"
    REAL = "real"
    IP = "ip"


FAMILY_KIND: Mapping[OperatorFamily, ValueKind | None] = {
    OperatorFamily.STRING: ValueKind.TEXT,
    OperatorFamily.ARN: ValueKind.TEXT,
    OperatorFamily.BOOL: ValueKind.TEXT,
    OperatorFamily.BINARY: ValueKind.TEXT,
    OperatorFamily.NUMERIC: ValueKind.REAL,
    OperatorFamily.DATE: ValueKind.REAL,
    OperatorFamily.IP: ValueKind.IP,
    OperatorFamily.NULL: None,
}

_VARIABLE_FAMILIES = (OperatorFamily.STRING, OperatorFamily.ARN, OperatorFamily.BOOL)


@dataclass(frozen=True)
class ValueSlot:
    """One value of a key; only the fields of the key's kind are set."""

    text: z3.SeqRef | None = None
    real: z3.ArithRef | None = None
    number_ok: z3.BoolRef | None = None  # the text parses as a number
    date_ok: z3.BoolRef | None = None  # the text parses as a date
    ip: z3.BitVecRef | None = None
    ip_ok: z3.BoolRef | None = None  # the text parses as an IP address
    is_v4: z3.BoolRef | None = None


@dataclass(frozen=True)
class KeyTerms:
    key: str  # lower-cased
    kind: ValueKind | None  # None: the key is only tested with Null
    multi: bool
    given: z3.BoolRef  # the evaluator's context holds the key (maybe with no value)
    present: z3.BoolRef  # the key has at least one value (the same term as `given` if single-valued)
    count: z3.ArithRef | None  # multivalued keys only
    slots: tuple[ValueSlot, ...]

    def active(self, index: int) -> z3.BoolRef:
        """Slot `index` holds one of the request's values."""
        if self.count is None:
            return self.present
        return self.count > index

    def single_text(self) -> tuple[z3.BoolRef, z3.SeqRef]:
        """(resolvable, value) for a policy variable: exactly one value (`Context.lookup`)."""
        if self.multi:
            return FALSE, z3.StringVal("")  # multivalued keys resolve no variable (§4)
        text = self.slots[0].text
        if text is None:
            raise EncodingError(f"policy variable on {self.key}", f"{self.key} is not a text key")
        return self.present, text


@dataclass
class _Usage:
    kinds: set[ValueKind]
    conditions: int = 0


def _collect(policies: Iterable[Policy]) -> dict[str, _Usage]:
    usage: dict[str, _Usage] = {}

    def use(key: str, kind: ValueKind | None) -> _Usage:
        entry = usage.setdefault(key, _Usage(set()))
        if kind is not None:
            entry.kinds.add(kind)
        return entry

    def use_variables(text: str, wildcards: bool) -> None:
        for token in tokenize(text, variables=True, wildcards=wildcards):
            if isinstance(token, Variable):
                use(token.key, ValueKind.TEXT)

    for policy in policies:
        for statement in policy.statements:
            for entry in (statement.resources or ()) + (statement.not_resources or ()):
                for token in resource_pattern_tokens(entry, policy.variables_enabled):
                    if isinstance(token, Variable):
                        use(token.key, ValueKind.TEXT)
            if statement.principal is not None:  # an account kept symbolic (principals.ACCOUNT_SYMBOL)
                for entry in statement.principal.aws:
                    if "${" in entry:
                        use_variables(entry, False)
            for condition in statement.conditions:
                use(condition.key_lower, FAMILY_KIND[condition.family]).conditions += 1
                if policy.variables_enabled and condition.family in _VARIABLE_FAMILIES:
                    for value in condition.values:
                        use_variables(value, condition.family is not OperatorFamily.BOOL)
    return usage


# The network keys a question (a request space) may read besides the policies
# (`also_keys`), with the type AWS gives them: tracked so that the network rules
# (`encodings/network.py`) bind them as the question states them.
NETWORK_KEY_KINDS: Mapping[str, ValueKind] = {
    "aws:sourceip": ValueKind.IP, "aws:vpcsourceip": ValueKind.IP, "aws:sourcevpc": ValueKind.TEXT,
    "aws:sourcevpce": ValueKind.TEXT, "aws:viaawsservice": ValueKind.TEXT,
}


def _with_question_keys(usage: dict[str, _Usage], also_keys: Iterable[str]) -> dict[str, _Usage]:
    wanted = {key.lower() for key in also_keys} & set(NETWORK_KEY_KINDS)
    return {**{key: _Usage({NETWORK_KEY_KINDS[key]}) for key in sorted(wanted)}, **usage}


def effective_context(request: Request) -> Mapping[str, tuple[str, ...]]:
    """The context the evaluator's conditions read (single-valued keys cut to one value)."""
    return Context.of(request).values


@dataclass(frozen=True)
class RequestValues:
    """A request read back from a model (see `SymbolicRequest.read`)."""

    principal_kind: PrincipalKind
    principal_account: str | None
    principal_arn: str | None
    role_arn: str | None
    principal_name: str | None
    principal_text: str
    action: str
    resource: str
    resource_account: str | None
    context: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class SymbolicRequest:
    """Terms of one request. Build with `SymbolicRequest.for_policies`; assert
    `domain_constraints()` in every query."""

    actions: ActionDomain
    principal_kind: z3.ExprRef
    principal_account: z3.SeqRef  # "" when the caller has no account
    has_account: z3.BoolRef
    principal_arn: z3.SeqRef  # Principal.arn: user / session / root ARN
    has_arn: z3.BoolRef
    role_arn: z3.SeqRef  # the role of a session
    has_role_arn: z3.BoolRef
    principal_name: z3.SeqRef  # Principal.name: service name, user / role / federated-user name
    has_name: z3.BoolRef  # Principal.name is not None
    principal_text: z3.SeqRef  # Principal.text: matched against `Federated` / `CanonicalUser`
    # The fields an ARN caller's ARN is made of (`wellformed.principal_shape` ties
    # them to the ARNs); Principal-element entries are matched field by field.
    principal_partition: z3.SeqRef  # "aws" in arn:aws:...
    principal_path: z3.SeqRef  # a user's or role's path: "" or "a/b/"
    session_name: z3.SeqRef  # a role session's name
    provider: z3.SeqRef  # an identity provider ARN's part after "oidc-provider/" / "saml-provider/"
    action: z3.ArithRef  # index into `actions`
    resource: z3.SeqRef
    resource_account: z3.SeqRef
    has_resource_account: z3.BoolRef
    keys: Mapping[str, KeyTerms]
    resource_arn: ArnParts  # the resource's ARN components (`split_arn`)
    options: EncodingOptions = DEFAULT_ENCODING  # how actions and resources are matched
    # What the terms are made of (the constants' name, the encoding, the action
    # domain, each key's kind and slots): equal signatures, equal terms (memo.py).
    # Built by `for_policies`; one made otherwise shares no kept terms (a fresh
    # object), and a copy with other terms (`dataclasses.replace`) needs a new one.
    signature: Hashable = field(default_factory=object)

    @staticmethod
    def for_policies(
        policies: Iterable[Policy],
        *,
        requests: Iterable[Request] = (),
        actions: ActionDomain | None = None,
        name: str = "request",
        extra_slots: int = 0,
        options: EncodingOptions = DEFAULT_ENCODING,
        also_keys: Iterable[str] = (),
    ) -> SymbolicRequest:
        """Terms for every key the policies use. `requests`: concrete requests this
        symbolic request must be able to take (`fix_to`): their actions join the
        action domain and their multivalued keys get enough slots. `name` prefixes
        the z3 constant names (use distinct names for two requests in one query).
        `extra_slots` adds value slots to every multivalued key beyond the bound
        argued in the module docstring (tests use it to check the bound).
        `options`: the encoding variant (`options.ENCODINGS`). `also_keys`: keys the
        question reads besides the policies (a request space's network keys)."""
        usage = _with_question_keys(_collect(policies), also_keys)
        requests = tuple(requests)
        domain = actions or ActionDomain.with_extra(r.action for r in requests)
        needed_slots: dict[str, int] = {}
        for request in requests:
            for key, values in effective_context(request).items():
                if key in usage:
                    needed_slots[key] = max(needed_slots.get(key, 0), len(values))
        keys = {
            key: _key_terms(f"{name}.ctx[{key}]", key, entry, needed_slots.get(key, 0), extra_slots)
            for key, entry in sorted(usage.items())
        }
        signature = (name, options, domain,
                     tuple((key, terms.kind, terms.multi, len(terms.slots)) for key, terms in keys.items()))

        def text(label: str) -> z3.SeqRef:
            return z3.String(f"{name}.{label}")

        def flag(label: str) -> z3.BoolRef:
            return z3.Bool(f"{name}.{label}")

        return SymbolicRequest(
            actions=domain,
            principal_kind=z3.Const(f"{name}.principal.kind", PRINCIPAL_KIND_SORT),
            principal_account=text("principal.account"),
            has_account=flag("principal.has_account"),
            principal_arn=text("principal.arn"),
            has_arn=flag("principal.has_arn"),
            role_arn=text("principal.role_arn"),
            has_role_arn=flag("principal.has_role_arn"),
            principal_name=text("principal.name"),
            has_name=flag("principal.has_name"),
            principal_text=text("principal.text"),
            principal_partition=text("principal.partition"),
            principal_path=text("principal.path"),
            session_name=text("principal.session"),
            provider=text("principal.provider"),
            action=z3.Int(f"{name}.action"),
            resource=text("resource"),
            resource_account=text("resource_account"),
            has_resource_account=flag("has_resource_account"),
            keys=keys,
            resource_arn=ArnParts.fresh(f"{name}.resource"),
            options=options,
            signature=signature,
        )

    # ---- access ---------------------------------------------------------------

    def key(self, key: str) -> KeyTerms:
        found = self.keys.get(key.lower())
        if found is None:
            raise EncodingError(f"context key {key}", f"{key} was not collected from the policies")
        return found

    def lookup(self, key: str) -> tuple[z3.BoolRef, z3.SeqRef]:
        """Policy-variable lookup (`strings.VariableLookup`)."""
        return self.key(key).single_text()

    def kind_is(self, *kinds: PrincipalKind) -> z3.BoolRef:
        return _kind_is(self, kinds)

    def _kind_is(self, kinds: tuple[PrincipalKind, ...]) -> z3.BoolRef:
        terms = [self.principal_kind == kind_value(kind) for kind in kinds]
        return terms[0] if len(terms) == 1 else z3.Or(*terms)

    # ---- constraints ----------------------------------------------------------

    def domain_constraints(self) -> list[z3.BoolRef]:
        """What every concrete request satisfies: assert these in every query."""
        return _domain_constraints(self)

    def _domain_constraints(self) -> list[z3.BoolRef]:
        constraints: list[z3.BoolRef] = [self.actions.in_domain(self.action)]
        for present, value in ((self.has_account, self.principal_account), (self.has_arn, self.principal_arn),
                               (self.has_role_arn, self.role_arn),
                               (self.has_resource_account, self.resource_account)):
            constraints.append(z3.Implies(z3.Not(present), value == z3.StringVal("")))
        constraints.append(z3.Implies(z3.Not(self.has_name), self.principal_name == z3.StringVal("")))
        # no colon, as a regex: z3 handles a negated `Contains` far worse
        constraints.append(z3.InRe(self.principal_account, z3.Star(any_char_except(":"))))
        constraints.extend(self.resource_arn.constraints(self.resource))
        constraints.append(self.resource != z3.StringVal(""))  # a request names a resource, at least `*`
        for terms in self.keys.values():
            constraints.append(z3.Implies(terms.present, terms.given))
            if terms.count is not None:
                constraints.append(z3.And(terms.count >= 0, terms.count <= len(terms.slots)))
            for slot in terms.slots:
                if slot.ip is not None and slot.is_v4 is not None:
                    constraints.append(z3.Implies(slot.is_v4, ips.v4_high_bits_zero(slot.ip)))
                if slot.real is not None and slot.number_ok is not None and slot.date_ok is not None:
                    # text valid as both is a run of digits: the same non-negative integer
                    constraints.append(z3.Implies(z3.And(slot.number_ok, slot.date_ok),
                                                  z3.And(z3.IsInt(slot.real), slot.real >= 0)))
        return constraints

    def fix_to(self, request: Request) -> list[z3.BoolRef]:
        """Constraints that make this symbolic request equal to `request`, as the
        evaluator sees it."""
        principal = request.principal
        if principal.account is not None and ":" in principal.account:
            raise EncodingError("account id with a colon")
        index = self.actions.index_of(request.action)
        if index is None:
            raise EncodingError(f"action {request.action}", "not in the action domain (use `requests=`)")
        constraints: list[z3.BoolRef] = [
            self.principal_kind == kind_value(principal.kind),
            *_fix_optional(self.has_account, self.principal_account, principal.account),
            *_fix_optional(self.has_arn, self.principal_arn, principal.arn),
            *_fix_optional(self.has_role_arn, self.role_arn, principal.role_arn),
            *_fix_optional(self.has_name, self.principal_name, principal.name),
            self.principal_text == string_val(principal.text),
            *(field == string_val(value) for field, value in zip(
                (self.principal_partition, self.principal_path, self.session_name, self.provider),
                principal_fields(principal), strict=True)),
            self.action == index,
            self.resource == string_val(request.resource),
            *self.resource_arn.fix_to(request.resource),
            *_fix_optional(self.has_resource_account, self.resource_account, request.resource_account),
        ]
        context = effective_context(request)
        for key, terms in self.keys.items():
            constraints.extend(_fix_key(terms, context.get(key)))
        return constraints

    # ---- reading a model back -------------------------------------------------

    def read(self, model: z3.ModelRef) -> RequestValues:
        """The concrete request a model describes. Free terms read as their model
        completion. Reals print as decimals (numbers) or epoch seconds (dates)."""

        def text(term: z3.SeqRef) -> str:
            return string_of(model.eval(term, model_completion=True))

        def flag(term: z3.BoolRef) -> bool:
            return bool(z3.is_true(model.eval(term, model_completion=True)))

        def optional(present: z3.BoolRef, term: z3.SeqRef) -> str | None:
            return text(term) if flag(present) else None

        kind = _KIND_BY_NAME[str(model.eval(self.principal_kind, model_completion=True))]
        action_index = model.eval(self.action, model_completion=True).as_long()
        context: dict[str, tuple[str, ...]] = {}
        for key, terms in self.keys.items():
            if not flag(terms.given):
                continue
            if terms.count is not None:
                count = model.eval(terms.count, model_completion=True).as_long()
            else:
                count = 1 if flag(terms.present) else 0
            context[key] = tuple(_read_slot(model, terms, slot) for slot in terms.slots[:count])
        return RequestValues(
            principal_kind=kind,
            principal_account=optional(self.has_account, self.principal_account),
            principal_arn=optional(self.has_arn, self.principal_arn),
            role_arn=optional(self.has_role_arn, self.role_arn),
            principal_name=optional(self.has_name, self.principal_name),
            principal_text=text(self.principal_text),
            action=self.actions.decode(action_index),
            resource=text(self.resource),
            resource_account=optional(self.has_resource_account, self.resource_account),
            context=context,
        )


_domain_constraints = per_request(SymbolicRequest._domain_constraints)
_kind_is = per_request(SymbolicRequest._kind_is)


def principal_fields(principal: Principal) -> tuple[str, str, str, str]:
    """(partition, path, session name, provider) of a caller, "" where it has none
    (as `scenario.parse_principal` lays out its ARN)."""
    arn = principal.arn or ""
    if principal.kind is PrincipalKind.ROLE_SESSION and principal.role_arn:
        arn = principal.role_arn  # the role's path
    parts = arn.split(":", 5)
    partition = parts[1] if len(parts) == 6 else ""
    resource = parts[5] if len(parts) == 6 else ""
    path = provider = ""
    if principal.kind in (PrincipalKind.USER, PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION) and "/" in resource:
        path = resource.split("/", 1)[1].rpartition("/")[0]
        path = path + "/" if path else ""
    if principal.kind is PrincipalKind.WEB_IDENTITY and "/" in resource:
        provider = resource.split("/", 1)[1]
    return partition, path, principal.session_name or "", provider


def _fix_optional(present: z3.BoolRef, term: z3.SeqRef, value: str | None) -> list[z3.BoolRef]:
    if value is None:
        return [z3.Not(present)]
    return [present, term == string_val(value)]


def _key_terms(label: str, key: str, usage: _Usage, needed_slots: int, extra_slots: int) -> KeyTerms:
    if len(usage.kinds) > 1:
        names = ", ".join(sorted(kind.value for kind in usage.kinds))
        raise EncodingError(f"context key {key} used as {names}",
                            f"{key} is compared as {names}; the encoding gives a key one type")
    kind = next(iter(usage.kinds), None)
    given = z3.Bool(f"{label}.given")
    if not is_multivalued(key):
        return KeyTerms(key, kind, False, given, given, None, (_slot(f"{label}", kind),))
    slots = max(usage.conditions + 1, needed_slots) + extra_slots
    count = z3.Int(f"{label}.count")
    return KeyTerms(key, kind, True, given, count >= 1, count,
                    tuple(_slot(f"{label}[{i}]", kind) for i in range(slots)))


def _slot(label: str, kind: ValueKind | None) -> ValueSlot:
    if kind is ValueKind.TEXT:
        return ValueSlot(text=z3.String(label))
    if kind is ValueKind.REAL:
        return ValueSlot(real=z3.Real(label), number_ok=z3.Bool(f"{label}.number_ok"),
                         date_ok=z3.Bool(f"{label}.date_ok"))
    if kind is ValueKind.IP:
        return ValueSlot(ip=z3.BitVec(label, ips.WIDTH), ip_ok=z3.Bool(f"{label}.ip_ok"),
                         is_v4=z3.Bool(f"{label}.is_v4"))
    return ValueSlot()


def _fix_key(terms: KeyTerms, values: tuple[str, ...] | None) -> list[z3.BoolRef]:
    constraints = [terms.given == bool_val(values is not None)]
    values = values or ()
    if terms.count is None:
        if len(values) > 1:
            raise EncodingError(f"context key {terms.key}", f"{terms.key} has several values in the request")
    else:
        if len(values) > len(terms.slots):
            raise EncodingError(f"context key {terms.key}", f"{terms.key} has more values than slots")
        constraints.append(terms.count == len(values))
    for slot, value in zip(terms.slots, values, strict=False):
        constraints.extend(_fix_slot(slot, value))
    return constraints


def _fix_slot(slot: ValueSlot, value: str) -> list[z3.BoolRef]:
    constraints: list[z3.BoolRef] = []
    if slot.text is not None:
        constraints.append(slot.text == string_val(value))
    if slot.real is not None and slot.number_ok is not None and slot.date_ok is not None:
        number, date = numbers.parse_number(value), numbers.parse_date(value)
        constraints += [slot.number_ok == bool_val(number is not None), slot.date_ok == bool_val(date is not None)]
        if number is not None and date is not None and number != date:
            raise EncodingError(f"value {value!r}", "reads as two different number and date values")
        real = number if number is not None else date
        if real is not None:
            constraints.append(slot.real == numbers.real_val(real))
    if slot.ip is not None and slot.ip_ok is not None and slot.is_v4 is not None:
        address = ips.parse_ip(value)
        constraints.append(slot.ip_ok == bool_val(address is not None))
        if address is not None:
            constraints += [slot.is_v4 == bool_val(address.version == 4), slot.ip == ips.address_bits(address)]
    return [c for c in constraints if not z3.is_true(c)] or [TRUE]


def _read_slot(model: z3.ModelRef, terms: KeyTerms, slot: ValueSlot) -> str:
    def value(term: z3.ExprRef) -> z3.ExprRef:
        return model.eval(term, model_completion=True)

    if slot.text is not None:
        return string_of(value(slot.text))
    if slot.real is not None and slot.number_ok is not None and slot.date_ok is not None:
        real = value(slot.real)
        exact = Decimal(real.numerator_as_long()) / Decimal(real.denominator_as_long())
        if z3.is_true(value(slot.number_ok)):
            return str(exact)
        if z3.is_true(value(slot.date_ok)):
            # AWS sends dates in ISO 8601 (aws:CurrentTime, aws:TokenIssueTime), but
            # aws:EpochTime in seconds; both read the same to the evaluator
            epoch = exact == exact.to_integral_value() and exact >= 0
            if (terms.key == "aws:epochtime" and epoch) or not _ISO_RANGE[0] <= exact < _ISO_RANGE[1]:
                return str(int(exact)) if epoch else str(exact)
            return _iso(exact)
        return "not-a-number"
    if slot.ip is not None and slot.ip_ok is not None and slot.is_v4 is not None:
        if not z3.is_true(value(slot.ip_ok)):
            return "not-an-ip"
        bits = value(slot.ip).as_long()
        address = IPv4Address(bits) if z3.is_true(value(slot.is_v4)) else IPv6Address(bits)
        return str(address)
    return "present"


_ISO_RANGE = (Decimal(-62135596800), Decimal(253402300800))  # years 1 to 9999


def _iso(seconds: Decimal) -> str:
    from datetime import UTC, datetime, timedelta

    whole = int(seconds.to_integral_value(rounding="ROUND_FLOOR"))
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=whole)
    fraction = str(seconds - whole).lstrip("0") if seconds != whole else ""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


