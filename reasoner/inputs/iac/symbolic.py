"""From an IaC policy with unknown values to policies a proof can use.

An unknown is never guessed and never skipped. Each becomes one of three things:

1. **Cases.** An unknown with finitely many values (a CloudFormation parameter
   with `AllowedValues`, the partition) is substituted by each value in turn: one
   policy per case, the answer covering them all (`MAX_CASES` at most).
2. **A symbol.** An unknown in a place where a policy variable means exactly "one
   fixed value" is written as the variable `${iac:LABEL}` of a synthetic request
   key. The key is fixed for the whole request, so a proof over every request is a
   proof over every value the unknown may take, and a witness names the value it
   chose (its context holds the key), replayed by the evaluator like any other
   variable. The places: values of String and ARN condition operators (not
   `IgnoreCase`), and the resource part of a `Resource` / `NotResource` ARN (after
   its fifth colon) (iam-semantics.md §4: variables are substituted there and only
   there, and only under Version 2012-10-17). The symbol's domain (twelve digits
   for an account, ...) and its exclusions are stated by
   `reasoner.encodings.unknowns`.
   An unknown account in an `AWS` principal entry (`!Ref AWS::AccountId`,
   `arn:${AWS::Partition}:iam::${AWS::AccountId}:root`, a role of it) is written
   the same way, though AWS allows no variable there: the policy parser admits it
   only from here (`parse_policy(..., symbols=True)`) and the encoder compares the
   caller's account with the key's value (`principals.ACCOUNT_SYMBOL`).
3. **UNKNOWN.** Anywhere else (another part of a `Principal`, a `NotPrincipal`, an action, the account or region of
   a `Resource` ARN, a policy Terraform knows only after apply), the policy cannot
   be analysed: it is kept with a message naming the resource, the attribute and
   the unknown, and every check on it is UNKNOWN.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reasoner.errors import InputError
from reasoner.inputs.iac.model import IacPolicy, PolicyKind
from reasoner.inputs.iac.values import Domain, Template, Unknown, substitute, unknowns_in
from reasoner.policy.model import OperatorFamily, Policy, PolicyType
from reasoner.policy.operators import parse_operator
from reasoner.policy.principals import ACCOUNT_SYMBOL

MAX_CASES = 16
SYMBOL_PREFIX = "iac."  # no colon: a synthetic key is no service's key (encodings/unknowns.py)
VARIABLES_VERSION = "2012-10-17"

if TYPE_CHECKING:
    from reasoner.checks.unknowns import SymbolicPolicy

POLICY_TYPES = {
    PolicyKind.INLINE: PolicyType.IDENTITY,
    PolicyKind.MANAGED: PolicyType.IDENTITY,
    PolicyKind.BOUNDARY: PolicyType.BOUNDARY,
    PolicyKind.TRUST: PolicyType.TRUST,
    PolicyKind.RESOURCE: PolicyType.RESOURCE,
    PolicyKind.SCP: PolicyType.SCP,
    PolicyKind.RCP: PolicyType.RCP,
    PolicyKind.VPC_ENDPOINT: PolicyType.VPC_ENDPOINT,
}


@dataclass(frozen=True)
class Symbol:
    """An unknown kept symbolic: the request key that holds its value."""

    key: str  # "iac.AWS__AccountId" (lower-cased by the policy machinery)
    unknown: Unknown


@dataclass(frozen=True)
class Lowered:
    """One case of one IaC policy: a policy for the checks, or why there is none."""

    source: IacPolicy
    policy: Policy | None
    unknown: str | None = None  # why the policy cannot be analysed (UNKNOWN)
    case: tuple[tuple[str, str], ...] = ()  # values chosen for finite unknowns, and the reader's case
    symbols: tuple[Symbol, ...] = ()
    document: Any = None  # the document as parsed (symbols written as variables)

    @property
    def case_text(self) -> str:
        return ", ".join(f"{label} = {value}" for label, value in self.case)

    def instantiate(self, chosen: Mapping[str, str]) -> Policy:
        """The policy with each symbol (by key) at a chosen value."""
        assert self.policy is not None

        def fill(value: Any) -> Any:
            if isinstance(value, str):
                for key, text in chosen.items():
                    value = value.replace("${" + key + "}", text)
                return value
            if isinstance(value, dict):
                return {key: fill(item) for key, item in value.items()}
            if isinstance(value, list):
                return [fill(item) for item in value]
            return value

        return parse_iac_policy(self.source, fill(self.document), self.policy.policy_type, sized=False)

    def symbolic(self) -> SymbolicPolicy:
        """The policy as the checks take it (`reasoner.checks.unknowns`)."""
        from reasoner.checks.unknowns import SymbolicPolicy
        from reasoner.encodings.unknowns import SymbolDomain

        assert self.policy is not None
        domains = {symbol.key: SymbolDomain(symbol.unknown.domain.value, symbol.unknown.excluded)
                   for symbol in self.symbols}
        return SymbolicPolicy(self.policy, domains, self.instantiate)

    def labels(self, chosen: Mapping[str, str]) -> dict[str, str]:
        """Values chosen by synthetic key, by the unknowns' labels."""
        by_key = {symbol.key.lower(): symbol.unknown.label for symbol in self.symbols}
        return {by_key[key.lower()]: value for key, value in chosen.items() if key.lower() in by_key}


def symbol_key(unknown: Unknown) -> str:
    return SYMBOL_PREFIX + re.sub(r"[^A-Za-z0-9_./\[\]-]", "_", unknown.label)


def lower(iac: IacPolicy, policy_type: PolicyType | None = None) -> list[Lowered]:
    """The policy in each case of its finite unknowns (module docstring)."""
    chosen_type = policy_type or POLICY_TYPES[iac.kind]
    if iac.unknown is not None or iac.document is None:
        return [Lowered(iac, None, iac.unknown or f"{iac.provenance.label}: the policy is unknown", iac.case)]
    problems = _problems(iac.document, finite_ok=True)
    if problems:
        return [Lowered(iac, None, _unknown_message(iac, problems), iac.case)]
    finite = _finite_unknowns(iac.document)
    combinations = list(itertools.islice(itertools.product(*(choices for _, choices in finite)), MAX_CASES + 1))
    if len(combinations) > MAX_CASES:
        labels = ", ".join(label for label, _ in finite)
        return [Lowered(iac, None, f"{iac.provenance.label}: more than {MAX_CASES} cases of {labels}", iac.case)]
    results = []
    for combination in combinations:
        chosen = {label: value for (label, _), value in zip(finite, combination, strict=True)}
        document = substitute(iac.document, chosen)
        case = (*iac.case, *sorted(chosen.items()))
        try:
            results.append(_lower_case(iac, document, chosen_type, case))
        except InputError as error:
            if not chosen:
                raise
            # a value the input allows that the policy stage refuses (a partition it
            # does not know): that case cannot be analysed, the others still can
            text = ", ".join(f"{label} = {value}" for label, value in chosen.items())
            results.append(Lowered(iac, None, f"{iac.provenance.label}: in the case {text}: {error}", case))
    return results


def _finite_unknowns(document: Any) -> list[tuple[str, tuple[str, ...]]]:
    found: dict[str, tuple[str, ...]] = {}
    for unknown in unknowns_in(document):
        if unknown.choices is not None and unknown.label not in found:
            found[unknown.label] = tuple(c for c in unknown.choices if c not in unknown.excluded)
    return list(found.items())


def _problems(document: Any, *, finite_ok: bool) -> list[tuple[str, Template]]:
    """(what, where) for each unknown in a place no policy variable can stand."""
    found: list[tuple[str, Template]] = []

    def walk(value: Any, path: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, str(key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, f"[{index}]"))
        elif isinstance(value, Unknown | Template):
            template = value if isinstance(value, Template) else Template((value,))
            if finite_ok and all(part.choices is not None for part in template.unknowns()):
                return
            problem = _unsupported_place(template, path)
            if problem is not None:
                found.append((f"{'.'.join(path).replace('.[', '[')} holds {template} ({problem})", template))

    walk(document, ())
    return found


def _unknown_message(iac: IacPolicy, problems: list[tuple[str, Template]]) -> str:
    texts = [text for text, _ in problems]
    reasons = "; ".join(texts[:3]) + (f"; and {len(texts) - 3} more" if len(texts) > 3 else "")
    labels = sorted({u.label for _, template in problems for u in template.unknowns() if u.choices is None})
    return f"{iac.provenance.label}: {reasons}: the value of {', '.join(labels)} is not given ({_hint(iac, labels)})"


def _lower_case(iac: IacPolicy, document: Any, policy_type: PolicyType,
                case: tuple[tuple[str, str], ...]) -> Lowered:
    symbols: dict[str, Symbol] = {}
    version = next((value for key, value in document.items() if key.lower() == "version"), None) \
        if isinstance(document, dict) else None
    has_unknowns = any(True for _ in unknowns_in(document))
    escape = has_unknowns and version != VARIABLES_VERSION

    def rewrite(value: Any, path: tuple[str, ...]) -> Any:
        if isinstance(value, dict):
            return {key: rewrite(item, (*path, str(key))) for key, item in value.items()}
        if isinstance(value, list):
            return [rewrite(item, (*path, f"[{index}]")) for index, item in enumerate(value)]
        if isinstance(value, str):
            return value.replace("${", "${$}{") if escape else value
        if isinstance(value, Unknown | Template):
            template = value if isinstance(value, Template) else Template((value,))
            pieces = []
            for part in template.parts:
                if isinstance(part, str):
                    pieces.append(part.replace("${", "${$}{") if escape else part)
                else:
                    symbol = Symbol(symbol_key(part), part)
                    symbols.setdefault(symbol.key, symbol)
                    pieces.append("${" + symbol.key + "}")
            return "".join(pieces)
        return value

    rewritten = rewrite(document, ())
    if escape and isinstance(rewritten, dict):
        rewritten = {key: item for key, item in rewritten.items() if key.lower() != "version"}
        rewritten = {"Version": VARIABLES_VERSION, **rewritten}
    # AWS's size quota is on the document as written; one whose unknowns are symbols
    # (`${iac.LABEL}`, longer or shorter than the value) has no size yet
    sized = not iac.synthetic and not symbols
    return Lowered(iac, parse_iac_policy(iac, rewritten, policy_type, sized=sized, symbols=bool(symbols)), None, case,
                   tuple(symbols.values()),
                   rewritten)


def _hint(iac: IacPolicy, labels: list[str]) -> str:
    if iac.provenance.input.endswith((".json", ".yaml", ".yml", ".template")) and "resource_changes" not in \
            iac.provenance.path:
        return "give it with --parameter, e.g. --parameter AWS::AccountId=111122223333"
    if "account" in labels:  # the provider's account (terraform.py)
        return "the plan does not say the provider's account: give it with --account ID, or account: in a " \
               "perimeter file"
    return "it is known only after apply"


def _unsupported_place(template: Template, path: tuple[str, ...]) -> str | None:
    """Why an unknown at `path` (element names, lower-cased by position) cannot be
    a policy variable, or None when it can."""
    names = [step.lower() for step in path if not step.startswith("[")]
    if not names or names[0] != "statement":
        if names and names[0] in ("id", "version"):
            return "in the policy's Version or Id" if names[0] == "version" else None
        return "outside the statements"
    element = names[1] if len(names) > 1 else ""
    if element == "sid":
        return None
    if element == "condition" and len(names) >= 4:
        position = _index_of(path, 2)
        operator = parse_operator(path[position]) if position < len(path) else None
        if operator is None:
            return "under an unknown condition operator"
        if operator.info.family not in (OperatorFamily.STRING, OperatorFamily.ARN):
            return f"in a value of {operator.text}, where no policy variable is allowed"
        if operator.info.ignore_case:
            return f"in a value of {operator.text}, which the encoding compares ignoring case"
        return None
    if element == "condition":
        return "in a condition key"
    if element in ("resource", "notresource"):
        literal = ""  # the ARN up to its first unknown of many values (a partition is one of a few)
        for part in template.parts:
            if isinstance(part, str):
                literal += part
            elif part.choices:
                literal += part.choices[0]
            else:
                break
        if literal.startswith("arn:") and literal.count(":") >= 5:
            return None
        return "in the partition, service, region or account of an ARN"
    if element == "principal" and len(names) == 3 and names[2] == "aws":
        return _principal_problem(template)
    if element in ("principal", "notprincipal"):
        return "in a Principal, where AWS allows no policy variable"
    return f"in {path[_index_of(path, 1)] if len(path) > 1 else 'the statement'}"


def _principal_problem(template: Template) -> str | None:
    """None when the only unknowns of an `AWS` principal entry are accounts, each a
    whole account (`${AWS::AccountId}`, `arn:aws:iam::${AWS::AccountId}:root`, a
    role, user or session of it): the encoder compares the caller's account with
    the symbol (`principals.ACCOUNT_SYMBOL`). A fixed account named through an
    unknown is still one account, so the entry grants what the same entry with
    the value written would, for each value (iam-semantics.md §1.5)."""
    text = ""
    for part in template.parts:
        if isinstance(part, str):
            text += part
        elif part.choices:
            text += part.choices[0]
        elif part.domain is Domain.ACCOUNT:
            text += "${" + symbol_key(part) + "}"
        else:
            return (f"in a Principal, where only an unknown account can be kept symbolic ({part} is a "
                    f"{part.domain.value})")
    fields = text.split(":", 5)
    account = text if len(fields) == 1 else fields[4] if len(fields) == 6 else ""
    rest = [field for index, field in enumerate(fields) if index != 4] if len(fields) == 6 else []
    if not re.fullmatch(ACCOUNT_SYMBOL, account) or any("${" in field for field in rest):
        return "in a Principal, where only a whole account can be kept symbolic"
    return None


def _index_of(path: tuple[str, ...], position: int) -> int:
    """Index in `path` of the `position`-th element name (list indexes skipped)."""
    count = -1
    for index, step in enumerate(path):
        if not step.startswith("["):
            count += 1
            if count == position:
                return index
    return len(path)


def parse_iac_policy(iac: IacPolicy, document: Any, policy_type: PolicyType, *, sized: bool = True,
                     symbols: bool = False) -> Policy:
    """Parse a (rewritten) document; statements point at their template or `.tf`
    line, errors name the input and the place."""
    from reasoner.policy.parse import parse_policy

    provenance = iac.provenance
    lines = dict(iac.statement_lines)
    source = provenance.file or provenance.input

    def line_of(path: str) -> int | None:
        return lines.get(path, provenance.line)

    try:
        return parse_policy(document, policy_type, source=source, line_of=line_of, name=provenance.label,
                            sized=sized, symbols=symbols)
    except InputError as error:
        line = lines.get(_statement_of(error.path), provenance.line)
        where = f"line {line}: " if line is not None and provenance.file == provenance.input else ""
        origin = "" if provenance.file in (None, provenance.input) else f" ({provenance.location})"
        raise InputError(provenance.input, f"{where}{provenance.path}", f"{error.path}: {error.message}{origin}"
                         if error.path else f"{error.message}{origin}") from None


def _statement_of(path: str) -> str:
    found = re.match(r"Statement(\[\d+\])?", path)
    return found.group(0) if found else ""


def symbols_of(lowered: Iterator[Lowered] | list[Lowered]) -> tuple[Symbol, ...]:
    seen: dict[str, Symbol] = {}
    for item in lowered:
        for symbol in item.symbols:
            seen.setdefault(symbol.key, symbol)
    return tuple(seen.values())


DOMAIN_DESCRIPTIONS = {Domain.ACCOUNT: "a 12-digit account id", Domain.REGION: "a region name",
                       Domain.PARTITION: "a partition", Domain.NAME: "a name without / or :",
                       Domain.TEXT: "any text"}

