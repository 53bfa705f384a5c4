"""`perimeter prove`: invariants become request spaces over policy sets (`scopes`),
each asked for a request that breaks it (`proof`), with findings and baselines
(`findings`).

May import: every stage below (`policy` to `inputs`); never `accounts`,
`reports` or `cli`.
"""
