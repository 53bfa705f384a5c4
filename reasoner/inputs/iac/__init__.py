"""Policies read where they are written: Terraform plans (`terraform show -json`)
and CloudFormation templates (JSON or YAML, CDK's `cdk.out` included).

Each reader yields an `IacInventory`: every policy document the input carries,
with its kind, the resource it is attached to and where it was written, plus the
roles, users, groups, resources, VPC endpoints and organization policies a
perimeter needs. Values the input does not fix are `Unknown` (`values.py`), never
guessed; `symbolic.py` decides what each becomes for a proof.

Imports: `reasoner.errors` and the policy stage only.
"""
