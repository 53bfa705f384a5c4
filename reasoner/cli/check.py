"""`perimeter check`: IAM Access Analyzer's three custom policy checks, on one policy
or on many in one call (files, directories, glob patterns), for people and for CI.

One policy file given as such prints the single-check text or JSON object of the
interface (`result`, `witness`, `reasons`); several, a directory or a pattern print a
report with one result per policy (reasoner/reports/checks.py), as do SARIF and JUnit
always. Exit code: 1 when a policy FAILs (it wins), else 3 when one is UNKNOWN, else 0.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from reasoner.cli.options import (
    DEFAULT_BUDGET_UNITS,
    DEFAULT_TIMEOUT_S,
    HELP_MARKUP,
    BudgetOption,
    CacheOption,
    TimeoutOption,
    between,
    budget_of,
    input_file,
    policy_path,
    report_cache,
    result_cache,
)
from reasoner.cli.usage import SingleValuedOptionsGroup
from reasoner.errors import InputError

if TYPE_CHECKING:
    from reasoner.checks.batch import CheckReport
    from reasoner.inputs.iac.sources import IacInput
    from reasoner.solving.cache import ResultCache

check_app = typer.Typer(help="IAM Access Analyzer's custom policy checks, answered by SMT with a witness.",
                        no_args_is_help=True, cls=SingleValuedOptionsGroup, rich_markup_mode=HELP_MARKUP)


class PolicyKind(StrEnum):
    IDENTITY = "identity"
    RESOURCE = "resource"


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


FormatOption = Annotated[CheckFormat, typer.Option("--format", help=(
    "Output format; sarif and junit report one result per policy, located at the deciding statement."))]
OutputOption = Annotated[Path | None, typer.Option("--output", help=(
    "Write the report to this file instead of stdout (written whole); with json, sarif or junit the text "
    "report still goes to stdout."))]
JobsOption = Annotated[int, typer.Option("--jobs", min=1, help=(
    "Policies checked in parallel processes (each with its own --budget and --timeout)."))]
_PATHS = "a file, a directory (its .json, .yaml and .yml files) or a quoted glob pattern; repeatable"
TerraformPlanOption = Annotated[Path | None, typer.Option(
    "--terraform-plan", parser=input_file, show_default=False, metavar="FILE",
    help="Check every policy of a Terraform plan (`terraform show -json PLAN`), instead of --policy.")]
TerraformDirOption = Annotated[Path | None, typer.Option(
    "--terraform-dir", show_default=False, metavar="DIR",
    help="The plan's .tf sources: policies known only after apply are read from them, and results point at "
         "their lines.")]
AccountOption = Annotated[str | None, typer.Option(
    "--account", show_default=False, metavar="ID",
    help="The plan's provider account, when the plan does not say it (no data.aws_caller_identity): ARNs the plan "
         "builds name it instead of an unknown account.")]
CloudFormationOption = Annotated[Path | None, typer.Option(
    "--cloudformation", parser=input_file, show_default=False, metavar="FILE",
    help="Check every policy of a CloudFormation template (JSON or YAML; CDK's cdk.out/*.template.json), "
         "instead of --policy.")]
ParameterOption = Annotated[list[str] | None, typer.Option(
    "--parameter", show_default=False, metavar="KEY=VALUE",
    help="A template parameter's value (repeatable; pseudo-parameters too, e.g. AWS::AccountId=111122223333).")]
ParametersFileOption = Annotated[Path | None, typer.Option(
    "--parameters-file", parser=input_file, show_default=False, metavar="FILE",
    help="Template parameter values: a list of {ParameterKey, ParameterValue} or of Key=Value, or a template "
         "configuration file ({Parameters: {...}}).")]


def _report_cache(store: ResultCache | None, report: CheckReport) -> None:
    """How many checks the cache answered (counted from the results: with --jobs the
    checks ran in other processes)."""
    if store is not None:
        store.hits = sum(1 for entry in report.entries if entry.result.reused)
        store.misses = len(report.entries) - store.hits
    report_cache(store)


def _finish_iac(report: CheckReport, store: ResultCache | None, output_format: CheckFormat,
                output: Path | None) -> None:
    """The report on the policies of an IaC input; with --cache, how many it answered
    (a policy's answer may take several queries: it counts when its reported answer
    came from the cache)."""
    _report_cache(store, report)
    _finish(report, False, output_format, output)


def _colour(output: Path | None = None) -> bool:
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _finish(report: CheckReport, single: bool, output_format: CheckFormat, output: Path | None) -> NoReturn:
    """The single-check object for one policy named as a file (text and json); the
    report with one result per policy otherwise."""
    import json

    from reasoner.cli.report_output import deliver
    from reasoner.reports.checks import check_report_text, render_check_report, single_check_json, single_check_text

    def text_report(colour: bool) -> str:
        if single:
            return single_check_text(report.entries[0], colour=colour) + "\n"
        return check_report_text(report, colour=colour)

    if output_format is CheckFormat.TEXT:
        text = text_report(_colour(output))
    elif single and output_format is CheckFormat.JSON:
        text = json.dumps(single_check_json(report.entries[0])) + "\n"
    else:
        text = render_check_report(report, output_format.value)
    deliver(text, output_format.value, output, lambda: text_report(_colour()))
    raise typer.Exit(report.exit_code)


def _resource_type_help() -> str:
    from reasoner.policy.resource_types import TYPES

    return ("CloudFormation type of the resource the policies are on, one of: "
            + ", ".join(kind.name + "".join(f" (or {alias})" for alias in kind.aliases) for kind in TYPES)
            + " (case-insensitive).")


def _single(values: list[Path]) -> bool:
    return len(values) == 1 and values[0].is_file()


def _iac_input(terraform_plan: Path | None, terraform_dir: Path | None, cloudformation: Path | None,
               parameter: list[str] | None, parameters_file: Path | None, account: str | None) -> IacInput:
    from reasoner.inputs.iac.sources import IacInput

    source = IacInput(terraform_plan, terraform_dir, cloudformation, tuple(parameter or ()), parameters_file,
                      account)
    source.validate()
    return source


def _one_input(source: IacInput, files: list[Path] | None, option: str) -> None:
    """Policy files or an IaC input, not both."""
    if source.given and files:
        raise InputError(option, "", "give policy files or an IaC input (--terraform-plan, --cloudformation), "
                                     "not both")
    if not source.given and not files:
        raise InputError(option, "", f"missing: give {option} PATH, --terraform-plan FILE or --cloudformation FILE")


@check_app.command("no-public-access", short_help="Can the policy grant access to a caller it does not identify?")
def no_public_access_command(
    policy: Annotated[list[Path] | None, typer.Option("--policy", parser=policy_path,
                                                      help=f"Resource-based policy: {_PATHS}.",
                                                      show_default=False)] = None,
    resource_type: Annotated[str | None, typer.Option("--resource-type", help=_resource_type_help() + (
        " With an IaC input, only the policies on resources of this type."), show_default=False)] = None,
    terraform_plan: TerraformPlanOption = None,
    terraform_dir: TerraformDirOption = None,
    account: AccountOption = None,
    cloudformation: CloudFormationOption = None,
    parameter: ParameterOption = None,
    parameters_file: ParametersFileOption = None,
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    ipv4_width: Annotated[int, typer.Option("--max-ipv4-prefix-width", callback=between(1, 32), help=(
        "An aws:SourceIp range identifies callers when its prefix is at least this long."))] = 8,
    ipv6_width: Annotated[int, typer.Option("--max-ipv6-prefix-width", callback=between(1, 128), help=(
        "The same for IPv6 ranges."))] = 32,
    acl: Annotated[Path | None, typer.Option("--acl", parser=input_file, show_default=False, metavar="FILE", help=(
        "AWS::S3::Bucket: the bucket's ACL as GetBucketAcl returns it; public grants count too."))] = None,
    public_access_block: Annotated[Path | None, typer.Option(
        "--public-access-block", parser=input_file, show_default=False, metavar="FILE", help=(
            "AWS::S3::Bucket or AWS::S3::AccessPoint: Block Public Access as GetPublicAccessBlock returns it "
            "(the account's, bucket's and access point's combined)."))] = None,
    output_format: FormatOption = CheckFormat.TEXT,
    output: OutputOption = None,
    jobs: JobsOption = 1,
    cache: CacheOption = None,
) -> None:
    """Can the policy grant access to a caller that nothing in it identifies?"""
    from reasoner.checks.batch import CheckJob, expand_policy_paths, run_jobs
    from reasoner.checks.run import load_check_policy
    from reasoner.cli.report_output import sarif_on_error
    from reasoner.policy.resource_types import resource_type as lookup

    chosen_budget = budget_of(budget, timeout)
    with sarif_on_error(output_format.value, output):
        source = _iac_input(terraform_plan, terraform_dir, cloudformation, parameter, parameters_file, account)
        _one_input(source, policy, "--policy")
        if source.given:
            from reasoner.checks.batch import CheckReport
            from reasoner.inputs.iac.checks import public_checks
            from reasoner.inputs.iac.sources import refuse_with_iac

            refuse_with_iac(source, [("--acl", acl is not None),
                                     ("--public-access-block", public_access_block is not None)])

            if resource_type is not None:
                lookup(resource_type)  # a typo is bad input, not an empty report
            store = result_cache(cache)
            entries = public_checks(source.inventory(), budget=chosen_budget,
                                    resource_types=[resource_type] if resource_type else [],
                                    max_ipv4_prefix_width=ipv4_width, max_ipv6_prefix_width=ipv6_width,
                                    jobs=jobs, cache=store)
            _finish_iac(CheckReport("no-public-access", tuple(entries)), store, output_format, output)
        if resource_type is None:
            raise InputError("--resource-type", "", "missing: the CloudFormation type of the resource the "
                                                    "policies are on")
        store = result_cache(cache)
        kind = lookup(resource_type)
        from reasoner.checks.run import load_bucket_facts

        bucket_acl, block = load_bucket_facts(kind, acl, public_access_block)
        work = [CheckJob("no-public-access", load_check_policy(path, None, default=kind.policy_type,
                                                               resource_type=kind.name), chosen_budget,
                         resource_type=kind, max_ipv4_prefix_width=ipv4_width, max_ipv6_prefix_width=ipv6_width,
                         cache=store, acl=bucket_acl, public_access_block=block)
                for path in expand_policy_paths(policy or [], "--policy")]
        report = run_jobs("no-public-access", work, jobs)
        _report_cache(store, report)
        _finish(report, _single(policy or []), output_format, output)


@check_app.command("no-new-access", short_help="Does the new policy allow anything the existing one does not?")
def no_new_access_command(
    existing: Annotated[Path | None, typer.Option("--existing", parser=input_file, help=(
        "The policy as it is: every --new policy is compared with it."), show_default=False)] = None,
    new: Annotated[list[Path] | None, typer.Option("--new", parser=policy_path,
                                                   help=f"The policy as proposed: {_PATHS}.",
                                                   show_default=False)] = None,
    pairs: Annotated[Path | None, typer.Option("--pairs", parser=input_file, help=(
        "A JSON or YAML list of {existing: FILE, new: FILE} (paths relative to it): many comparisons, each "
        "with its own existing policy, in one call."), show_default=False)] = None,
    policy_type: Annotated[PolicyKind | None, typer.Option("--policy-type", help=(
        "identity or resource (default: resource when the policies name a Principal)."))] = None,
    terraform_plan: Annotated[Path | None, typer.Option(
        "--terraform-plan", parser=input_file, show_default=False, metavar="FILE",
        help="Does the plan grant new access? Each policy it changes, as the plan leaves it, against the same "
             "policy before the plan.")] = None,
    terraform_dir: TerraformDirOption = None,
    account: AccountOption = None,
    cloudformation: Annotated[Path | None, typer.Option(
        "--cloudformation", parser=input_file, show_default=False, metavar="FILE",
        help="Does the template grant new access? Each policy that differs, against the same policy in --base.")
    ] = None,
    base: Annotated[Path | None, typer.Option(
        "--base", parser=input_file, show_default=False, metavar="OLD_TEMPLATE",
        help="The template as it is (e.g. on the main branch), for --cloudformation.")] = None,
    parameter: ParameterOption = None,
    parameters_file: ParametersFileOption = None,
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    output_format: FormatOption = CheckFormat.TEXT,
    output: OutputOption = None,
    jobs: JobsOption = 1,
    cache: CacheOption = None,
) -> None:
    """Does the new policy allow anything the existing one does not?"""
    from reasoner.checks.batch import CheckJob, expand_policy_paths, read_pairs, run_jobs
    from reasoner.checks.run import load_check_policy
    from reasoner.cli.report_output import sarif_on_error
    from reasoner.policy.model import Policy

    chosen_budget = budget_of(budget, timeout)
    with sarif_on_error(output_format.value, output):
        source = _iac_input(terraform_plan, terraform_dir, cloudformation, parameter, parameters_file, account)
        kind = policy_type.value if policy_type is not None else None
        if source.given:
            from reasoner.checks.batch import CheckReport
            from reasoner.inputs.iac.checks import change_checks
            from reasoner.inputs.iac.sources import refuse_with_iac

            refuse_with_iac(source, [("--new", bool(new)), ("--pairs", pairs is not None)])
            store = result_cache(cache)
            if existing is not None:  # every policy of the input against one reference policy
                from reasoner.inputs.iac.checks import reference_checks

                refuse_with_iac(source, [("--base", base is not None)])
                reference = load_check_policy(existing, kind)
                entries = reference_checks(source.inventory(), reference, reference.policy_type,
                                           budget=chosen_budget, jobs=jobs, cache=store)
            else:
                refuse_with_iac(source, [("--policy-type", policy_type is not None)])
                before, after, compared_with = source.states(base)
                entries = change_checks(before, after, budget=chosen_budget, compared_with=compared_with,
                                        jobs=jobs, cache=store)
            _finish_iac(CheckReport("no-new-access", tuple(entries)), store, output_format, output)
        if base is not None:
            raise InputError("--base", "", "the template as it is: give --cloudformation NEW_TEMPLATE too")
        if (existing is None) != (not new):
            raise InputError("--existing" if existing is None else "--new", "",
                             "missing: give --existing and --new together (or --pairs FILE)")
        if existing is None and pairs is None:
            raise InputError("--new", "", "missing: give --existing FILE --new PATH, or --pairs FILE")
        store = result_cache(cache)
        files = [(existing, path) for path in expand_policy_paths(new or [], "--new")] if existing else []
        files += read_pairs(pairs) if pairs is not None else []
        references: dict[Path, Policy] = {}

        def load(old_path: Path, new_path: Path) -> tuple[Policy, Policy]:
            if old_path not in references:
                references[old_path] = load_check_policy(old_path, kind)
            old_policy = references[old_path]
            new_policy = load_check_policy(new_path, kind, default=old_policy.policy_type if kind is None else None)
            return old_policy, new_policy

        work = [CheckJob("no-new-access", new_policy, chosen_budget, existing=old_policy, cache=store)
                for old_policy, new_policy in (load(old_path, new_path) for old_path, new_path in files)]
        report = run_jobs("no-new-access", work, jobs)
        _report_cache(store, report)
        single = pairs is None and existing is not None and existing.is_file() and _single(new or [])
        _finish(report, single, output_format, output)


@check_app.command("access-not-granted", short_help="Does the policy allow any of the actions?")
def access_not_granted_command(
    action: Annotated[list[str], typer.Option("--action", help="An action that must not be allowed (repeatable).",
                                              show_default=False)],
    policy: Annotated[list[Path] | None, typer.Option("--policy", parser=policy_path, help=f"Policy: {_PATHS}.",
                                                      show_default=False)] = None,
    resource: Annotated[list[str] | None, typer.Option("--resource", help=(
        "Only on these resources (repeatable; wildcards allowed in the resource part)."))] = None,
    policy_type: Annotated[PolicyKind | None, typer.Option("--policy-type", help=(
        "identity or resource (default: resource when the policy names a Principal)."))] = None,
    terraform_plan: TerraformPlanOption = None,
    terraform_dir: TerraformDirOption = None,
    account: AccountOption = None,
    cloudformation: CloudFormationOption = None,
    parameter: ParameterOption = None,
    parameters_file: ParametersFileOption = None,
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    output_format: FormatOption = CheckFormat.TEXT,
    output: OutputOption = None,
    jobs: JobsOption = 1,
    cache: CacheOption = None,
) -> None:
    """Does the policy allow any of the actions (on the resources)?"""
    from reasoner.checks.batch import CheckJob, expand_policy_paths, run_jobs
    from reasoner.checks.run import check_access_arguments, load_check_policy
    from reasoner.cli.report_output import sarif_on_error

    with sarif_on_error(output_format.value, output):
        source = _iac_input(terraform_plan, terraform_dir, cloudformation, parameter, parameters_file, account)
        _one_input(source, policy, "--policy")
        check_access_arguments(action, resource or [])
        if source.given:
            from reasoner.checks.batch import CheckReport
            from reasoner.inputs.iac.checks import access_checks
            from reasoner.inputs.iac.sources import refuse_with_iac

            refuse_with_iac(source, [("--policy-type", policy_type is not None)])
            store = result_cache(cache)
            entries = access_checks(source.inventory(), action, resource or [], budget=budget_of(budget, timeout),
                                    jobs=jobs, cache=store)
            _finish_iac(CheckReport("access-not-granted", tuple(entries)), store, output_format, output)
        store = result_cache(cache)
        kind = policy_type.value if policy_type is not None else None
        work = [CheckJob("access-not-granted", load_check_policy(path, kind), budget_of(budget, timeout),
                         actions=tuple(action), resources=tuple(resource or ()), cache=store)
                for path in expand_policy_paths(policy or [], "--policy")]
        report = run_jobs("access-not-granted", work, jobs)
        _report_cache(store, report)
        _finish(report, _single(policy or []), output_format, output)


def register(app: typer.Typer) -> None:
    app.add_typer(check_app, name="check", short_help="IAM Access Analyzer's custom policy checks, with a witness.")
