"""Policies read where they are written: Terraform plans (`terraform show -json`)
and CloudFormation templates (JSON or YAML, CDK's `cdk.out` included).

Each reader yields an `IacInventory`: every policy document the input carries,
with its kind, the resource it is attached to and where it was written, plus the
roles, users, groups, resources, VPC endpoints and organization policies a
perimeter needs. Values the input does not fix are `Unknown` (`values.py`), never
guessed; `symbolic.py` decides what each becomes for a proof.

`checks.py` runs IAM Access Analyzer's three checks on every policy of an input
(the `perimeter check` commands with `--terraform-plan` or `--cloudformation`);
`sources.py` is the input the options name. The readers import `reasoner.errors`
and the policy stage only; the checks, the stages below.
"""
