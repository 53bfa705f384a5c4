"""What the analyses read: the perimeter model (`model`: zone of trust,
organization, resources, VPC endpoints, identities, invariants) and its readers:
perimeter files (`perimeter_file`), account snapshot folders (`snapshot`) and raw
AWS Organizations outputs (`organization`).

May import: `reasoner.errors`, `reasoner.policy`, `reasoner.evaluation`.
"""
