"""Solving: the only place besides the encodings that calls a solver (`solve`: z3,
then cvc5, three-valued answers), running one query within a budget and
preferring a readable witness (`query`), and turning a model into a concrete
request replayed through the reference evaluator (`witness`).

May import: `reasoner.errors`, `reasoner.policy`, `reasoner.evaluation`,
`reasoner.encodings`.
"""
