"""z3 encodings of the policy model: one module per theory.

Data flows one way:

- `terms` — folding constructors (`and_`, `or_`, `not_`, `all_of`, `any_of`, `ite`);
  every module builds Boolean structure through them, so constant parts fold away
  and trivial queries never reach the solver.
- `strings` — IAM glob patterns and policy variables as string constraints
  (`match_glob`, `string_val` / `string_of` for exact text in and out of z3).
- `actions` — the action catalogue as a finite domain: an Int index; a glob is a
  few index intervals (`ActionDomain.matches_any`, `decode`).
- `arns` — Resource entries and ArnLike (`arn_match`); `ips` — CIDRs on 128-bit
  vectors; `numbers` — numbers and dates as reals.
- `request` — `SymbolicRequest`: the z3 terms of one request, `fix_to(request)`
  and `read(model)`.
- `conditions`, `statements` — `condition_holds`, `statement_terms` /
  `statement_applies`, `principal_match`, `policy_allows` / `policy_denies`.

Typical use:

    sym = SymbolicRequest.for_policies(all_policies_in_the_query)
    allows = policy_allows(policy, sym)          # .fires, .statements
    result = solve([*sym.domain_constraints(), allows.fires], units=10)  # work units, solving/budget.py
    if result.status is Status.SAT:
        values = sym.read(result.model)          # a concrete request to replay

Every formula mirrors the reference evaluator (`reasoner/evaluation/evaluate.py`,
`reasoner/policy/matching.py`); `tests/test_encodings_differential.py` checks them
against it on random policies and requests. Only this package and
`reasoner/solving/` import z3. Constructs the encoding cannot express exactly raise
`reasoner.errors.EncodingError` (reported as UNKNOWN), never a guess.
"""
