"""What the analyses read: the perimeter model (`model`: zone of trust,
organization, resources, VPC endpoints, identities, invariants) and its readers:
perimeter files (`perimeter_file`), account snapshot folders (`snapshot`), raw
AWS Organizations outputs (`organization`), and infrastructure code (`iac`:
Terraform plans and CloudFormation templates).

May import: `reasoner.errors`, `reasoner.policy`, `reasoner.evaluation`; `iac`
also runs the checks over what it reads (`reasoner.checks`, `reasoner.encodings`).
"""
