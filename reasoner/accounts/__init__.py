"""Reachability across account snapshots: the access graph (`graph`) whose edges
(`edges`) are decided with the whole evaluation chain, shared between callers that
policies cannot tell apart (`symmetry`), searched for multi-hop paths (`reach`)
and exported (`export`).

May import: every stage below, `prove` included (its scopes); never `reports` or
`cli`.
"""
