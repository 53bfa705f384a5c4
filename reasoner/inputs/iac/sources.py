"""Which infrastructure input a command reads, as its options name it: a Terraform
plan (with the `.tf` sources, optionally) or a CloudFormation template (with
parameter values), and the two states a change compares."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reasoner.errors import InputError
from reasoner.inputs.iac.model import IacInventory


@dataclass(frozen=True)
class IacInput:
    """The options of one command that name an IaC input (at most one of the plan
    and the template)."""

    terraform_plan: Path | None = None
    terraform_dir: Path | None = None
    cloudformation: Path | None = None
    parameters: tuple[str, ...] = ()  # Key=Value
    parameters_file: Path | None = None
    account: str | None = None  # the plan's provider account, when the plan does not say it

    @property
    def given(self) -> bool:
        return self.terraform_plan is not None or self.cloudformation is not None

    def validate(self) -> None:
        """Options that belong together are given together."""
        if self.terraform_plan is not None and self.cloudformation is not None:
            raise InputError("--terraform-plan", "", "give --terraform-plan or --cloudformation, not both")
        if self.terraform_dir is not None and self.terraform_plan is None:
            raise InputError("--terraform-dir", "", "the .tf sources of a plan: give --terraform-plan too")
        if self.terraform_dir is not None and not self.terraform_dir.is_dir():
            raise InputError("--terraform-dir", "", f"{self.terraform_dir} is not a folder")
        if self.account is not None and self.terraform_plan is None:
            raise InputError("--account", "", "the provider account of a plan: give --terraform-plan too "
                                              "(a template's is --parameter AWS::AccountId=ID)")
        if self.account is not None and not re.fullmatch(r"\d{12}", self.account):
            raise InputError("--account", "", f'"{self.account}" is not a 12-digit account id')
        if (self.parameters or self.parameters_file is not None) and self.cloudformation is None:
            option = "--parameter" if self.parameters else "--parameters-file"
            raise InputError(option, "", "parameter values of a template: give --cloudformation too")

    def parameter_values(self) -> dict[str, str]:
        """The template's parameter values: the file's, then each --parameter over them."""
        from reasoner.inputs.iac.cfn_template import load_parameter_file, parse_parameter_options

        values = load_parameter_file(self.parameters_file) if self.parameters_file is not None else {}
        values.update(parse_parameter_options(self.parameters))
        return values

    def inventory(self) -> IacInventory:
        """What the input says: the state after the plan, or the template."""
        self.validate()
        if self.terraform_plan is not None:
            from reasoner.inputs.iac.terraform import read_terraform_plan

            return read_terraform_plan(self.terraform_plan, self.terraform_dir, self.account).after
        if self.cloudformation is not None:
            from reasoner.inputs.iac.cloudformation import read_cloudformation

            return read_cloudformation(self.cloudformation, self.parameter_values())
        raise InputError("--terraform-plan", "", "missing: give --terraform-plan FILE or --cloudformation FILE")

    def states(self, base: Path | None) -> tuple[IacInventory, IacInventory, str]:
        """The state before the change, the state after it, and how to name the
        first: a plan's own two states, or the `base` template and this one (read
        with the same parameter values)."""
        self.validate()
        if self.terraform_plan is not None:
            from reasoner.inputs.iac.terraform import read_terraform_plan

            if base is not None:
                raise InputError("--base", "", "a plan holds its state before the change: --base is for "
                                               "--cloudformation")
            plan = read_terraform_plan(self.terraform_plan, self.terraform_dir, self.account)
            return plan.before, plan.after, "the state before the plan"
        if self.cloudformation is not None:
            from reasoner.inputs.iac.cloudformation import read_cloudformation

            if base is None:
                raise InputError("--base", "", "missing: give --base OLD_TEMPLATE, the template as it is, to "
                                               "compare --cloudformation with")
            from reasoner.inputs.iac.cfn_template import load_template

            values = self.parameter_values()
            after = read_cloudformation(self.cloudformation, values)
            # the base may not declare a parameter the change adds
            declared = load_template(base).section("Parameters")
            before = read_cloudformation(base, {name: value for name, value in values.items()
                                                if name in declared or name.startswith("AWS::")})
            return before, after, str(base)
        raise InputError("--terraform-plan", "", "missing: give --terraform-plan FILE or --cloudformation FILE")


def refuse_with_iac(source: IacInput, options: Sequence[tuple[str, bool]]) -> None:
    """Options that only apply to policy files are bad usage beside an IaC input."""
    if not source.given:
        return
    for option, present in options:
        if present:
            input_option = "--terraform-plan" if source.terraform_plan is not None else "--cloudformation"
            raise InputError(option, "", f"does not apply with {input_option}")
