"""One collection, start to end: who the caller is, the organization, the accounts to
read (entered with AssumeRole), their regions, then every (account, service, region)
read on a bounded pool of threads, and the snapshot written all at once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from reasoner.collect.calls import CallFailed, Recorder, Scope
from reasoner.collect.context import AccountContext, Contents
from reasoner.collect.iam import read_iam
from reasoner.collect.manifest import ACCOUNT, IAM, REGION, Manifest, Missing
from reasoner.collect.organization import OrganizationResult, read_organization
from reasoner.collect.output import check_readable, publish, staging, write_contents, write_manifest
from reasoner.collect.resources import REGIONAL_READERS, read_s3
from reasoner.collect.sessions import ClientSettings, SessionClients, assume_account, own_session
from reasoner.errors import CollectError, InputError

DEFAULT_ROLE = "OrganizationAccountAccessRole"  # the role AWS Organizations creates in the accounts it creates
_ENABLED = ("opt-in-not-required", "opted-in")


@dataclass(frozen=True)
class CollectOptions:
    output: Path
    regions: tuple[str, ...] | None = None  # None: every region enabled in each account
    accounts: tuple[str, ...] = ()  # these accounts; () with organization=False: the caller's own
    organization: bool = False  # every active account of the organization
    role_name: str = DEFAULT_ROLE
    profile: str | None = None
    jobs: int = 8
    settings: ClientSettings = field(default_factory=ClientSettings)
    home_region: str = "us-east-1"  # where IAM, S3's listing, STS and Organizations are called
    page_size: int | None = None  # None: each listing's default (tests ask for small pages)
    object_acls: int = 0  # the ACLs of up to this many objects per bucket (buckets.py)


@dataclass(frozen=True)
class CollectResult:
    output: Path
    manifest: dict[str, Any]

    @property
    def complete(self) -> bool:
        return bool(self.manifest["complete"])


class Progress(Protocol):
    def start(self, account: str, total: int) -> None: ...

    def advance(self, account: str) -> None: ...


Job = Callable[[], None]


def _caller(base: SessionClients, recorder: Recorder, region: str) -> tuple[str, str]:
    try:
        identity = recorder.call(Scope(None, region, None), base.client("sts", region), "get_caller_identity") or {}
    except CallFailed as failed:
        raise CollectError(f"cannot tell who the caller is: {failed.reason}") from None
    return str(identity["Account"]), str(identity["Arn"])


def _accounts(options: CollectOptions, organization: OrganizationResult, caller_account: str,
              manifest: Manifest) -> tuple[str, ...]:
    if options.organization:
        if organization.status in ("failed", "none"):
            reason = next((m.reason for m in manifest.missing), "the caller's account is in no organization")
            raise CollectError(f"--organization: the organization's accounts cannot be listed: {reason}")
        for account in organization.suspended:
            manifest.note(f"account {account} is suspended: not collected")
        return tuple(sorted(organization.accounts))
    return tuple(dict.fromkeys(options.accounts)) or (caller_account,)


def _standing(account: str, organization: OrganizationResult,
              delegated: list[dict[str, Any]] | None) -> str:
    """What the caller's account is to the organization: its management account, a
    delegated administrator (of which services), a member, or in none."""
    if organization.status == "none":
        return "in no organization"
    if organization.management_account == account:
        return "the management account"
    for admin in delegated or []:
        if admin.get("account") == account:
            return f"a delegated administrator ({', '.join(admin.get('services') or []) or 'no service'})"
    if delegated is None or organization.status == "failed":
        return "a member account (whether a delegated administrator is not known)"
    return "a member account"


class _Run:
    def __init__(self, options: CollectOptions, progress: Progress | None) -> None:
        self.options = options
        self.progress = progress
        self.manifest = Manifest(scope={
            "organization": options.organization, "accounts": list(options.accounts),
            "regions": list(options.regions) if options.regions is not None else "all",
            "role_name": options.role_name, "endpoint_url": options.settings.endpoint_url,
            "object_acls": options.object_acls})
        self.recorder = Recorder(self.manifest, options.page_size)
        self.contents = Contents()
        self.manifest_json: dict[str, Any] = {}
        self.management: str | None = None

    def enter(self, base: SessionClients, own: AccountContext, account: str) -> AccountContext | None:
        """The account's context (its session and regions); None when it cannot be entered."""
        if account == own.account:
            ctx = own
        else:
            role = f"arn:{own.partition}:iam::{account}:role/{self.options.role_name}"
            try:
                clients, identity = assume_account(base, self.recorder, own.scope(), role, self.options.home_region)
            except CallFailed as failed:
                own.lack(ACCOUNT, failed.reason, account=account)
                self.manifest.account(account, status="not entered")
                if account == self.management:
                    self.manifest.note(f"the management account {account} has no {self.options.role_name} unless one "
                                       "was made there (AWS Organizations creates it in the accounts it creates): "
                                       "from a delegated administrator, give --role-name a role every account has")
                return None
            ctx = AccountContext(account, identity, clients, self.recorder, self.options.home_region)
        regions = self.regions(ctx)
        self.manifest.account(account, identity=ctx.identity, regions=list(regions))
        return AccountContext(ctx.account, ctx.identity, ctx.clients, ctx.recorder, ctx.home_region, regions)

    def regions(self, ctx: AccountContext) -> tuple[str, ...]:
        if self.options.regions is not None:
            return self.options.regions
        try:
            listed = (self.recorder.call(ctx.scope(), ctx.client("ec2"), "describe_regions",
                                         AllRegions=True) or {}).get("Regions", [])
        except CallFailed as failed:
            ctx.lack(REGION, failed.reason, account=ctx.account, region="*")
            return ()
        enabled = []
        for region in sorted(listed, key=lambda r: r["RegionName"]):
            if region.get("OptInStatus", "opt-in-not-required") in _ENABLED:
                enabled.append(region["RegionName"])
            else:
                ctx.lack(REGION, "an opt-in region not enabled in this account", account=ctx.account,
                         region=region["RegionName"])
        return tuple(enabled)

    def jobs(self, ctx: AccountContext) -> list[Job]:
        found: list[Job] = [lambda: read_iam(ctx, self.contents),
                             lambda: read_s3(ctx, self.contents, ctx.regions, self.options.object_acls)]
        for region in ctx.regions:
            found += [functools.partial(reader, ctx, self.contents, region) for reader in REGIONAL_READERS.values()]
        return found

    def run(self) -> CollectResult:
        options = self.options
        with staging(options.output) as temporary:
            base = own_session(options.profile, options.settings)
            account, arn = _caller(base, self.recorder, options.home_region)
            self.manifest.caller = arn
            own = AccountContext(account, arn, base, self.recorder, options.home_region)
            organization = read_organization(own, self.contents)
            self.manifest.scope["caller_standing"] = _standing(account, organization,
                                                              self.contents.delegated_administrators)
            self.management = organization.management_account
            accounts = _accounts(options, organization, account, self.manifest)
            with ThreadPoolExecutor(max_workers=options.jobs) as pool:
                contexts = [ctx for ctx in pool.map(lambda a: self.enter(base, own, a), accounts) if ctx is not None]
                work = []
                for ctx in contexts:
                    jobs = self.jobs(ctx)
                    if self.progress is not None:
                        self.progress.start(ctx.account, len(jobs))
                    work += [pool.submit(self._step, ctx.account, job) for job in jobs]
                for future in work:
                    future.result()
            self._write(temporary, accounts)
            publish(temporary, options.output)
        return CollectResult(options.output, self.manifest_json)

    def _step(self, account: str, job: Job) -> None:
        job()
        if self.progress is not None:
            self.progress.advance(account)

    def _write(self, folder: Path, accounts: tuple[str, ...]) -> None:
        from reasoner.inputs.snapshot import load_account_details

        write_contents(folder, self.contents)
        for file in sorted((folder / "iam").glob("*.json")):
            try:
                load_account_details(file)
            except InputError as error:  # kept out: a missing piece, not a failed collection
                file.unlink()
                where = f"{error.path}: " if error.path else ""
                self.manifest.lack(Missing(kind=IAM, reason=f"export not understood: {where}{error.message}",
                                           account=file.stem))
        missing = {piece.account for piece in self.manifest.missing if piece.account}
        for account in accounts:
            if self.manifest.accounts.get(account, {}).get("status") != "not entered":
                self.manifest.account(account, status="partial" if account in missing else "complete")
        if not any((folder / "iam").glob("*.json")):
            reasons = "; ".join(piece.reason for piece in self.manifest.missing[:3])
            raise CollectError(f"no account's IAM could be read, nothing was written ({reasons})")
        self.manifest_json = self.manifest.to_json()
        write_manifest(folder, self.manifest_json)
        check_readable(folder)


def collect(options: CollectOptions, progress: Progress | None = None) -> CollectResult:
    """Collect and write the snapshot; raises CollectError (nothing written) when it cannot."""
    return _Run(options, progress).run()
