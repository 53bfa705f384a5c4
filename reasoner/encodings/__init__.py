"""z3 encodings of the policy model: one module per theory.

Data flows one way:

- `terms` — folding constructors (`and_`, `or_`, `not_`, ...); every other module
  builds Boolean structure through them so constant parts never reach the solver.
- `strings` — IAM glob patterns and policy variables as z3 string constraints.
- `actions` — the action catalogue as a finite domain (an Int index).
- `arns`, `ips`, `numbers` — Resource/ArnLike matching, CIDRs, numbers and dates.
- `request` — `SymbolicRequest`: the z3 variables of one request and `fix_to`.
- `conditions`, `statements` — conditions, statements and whole policies.

Only this package and `reasoner/solve.py` import z3. Constructs the encoding cannot
express exactly raise `reasoner.errors.EncodingError` (reported as UNKNOWN).
"""
