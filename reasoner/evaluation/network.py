"""The network keys of a request AWS sends, as far as AWS documents them: the
evaluator's side of `encodings/network.py` (the two are tested against each
other). No solver here.

Rules, from the global condition keys page (KEYS,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
§6 of iam-semantics.md):

1. `aws:SourceIp` "is included in the request context, except when the requester
   uses a VPC endpoint"; `aws:SourceVpc`, `aws:SourceVpce` and `aws:VpcSourceIp`
   are included "only if" the request goes through one. So a request with any of
   the three carries no `aws:SourceIp`.
2. A VPC endpoint is in a VPC: `aws:SourceVpc` is "the VPC that hosts the
   endpoint" (AWS KMS, "Use VPC endpoints to control access"), so a request with
   `aws:SourceVpce` or `aws:VpcSourceIp` carries `aws:SourceVpc`. Not the
   converse: requests through AWS Management Console Private Access carry
   `aws:SourceVpc` without `aws:SourceVpce` and `aws:VpcSourceIp` (AWS Management
   Console, "Supported AWS global condition context keys").
3. So a request without `aws:SourceVpc` came over the internet and carries
   `aws:SourceIp`, with the documented exceptions, left free: a service
   principal's own call (the network context of service-to-service calls is
   redacted, KEYS), and a call a service makes with the caller's credentials
   (forward access sessions: `aws:ViaAWSService` true; after a VPC-endpoint request
   its network keys are not carried, FAS). The rule binds an anonymous request
   (no service calls on its behalf) and one `aws:ViaAWSService` says is direct.
"""

from __future__ import annotations

from collections.abc import Collection

from reasoner.evaluation.evaluate import Context
from reasoner.policy.model import PrincipalKind, Request

SOURCE_IP = "aws:sourceip"
SOURCE_VPC = "aws:sourcevpc"
SOURCE_VPCE = "aws:sourcevpce"
VPC_SOURCE_IP = "aws:vpcsourceip"
VIA_AWS_SERVICE = "aws:viaawsservice"
ENDPOINT_KEYS = (SOURCE_VPC, SOURCE_VPCE, VPC_SOURCE_IP)
NETWORK_KEYS = (SOURCE_IP, *ENDPOINT_KEYS, VIA_AWS_SERVICE)

# What a witness's unread network keys are filled with: documentation addresses
# and ids of the 17-hex-digit form (a witness's reader sees they are examples).
EXAMPLE_SOURCE_IP = "203.0.113.10"
EXAMPLE_VPC = "vpc-0a1b2c3d4e5f60718"
EXAMPLE_VPCE = "vpce-0a1b2c3d4e5f60718"
EXAMPLE_VPC_SOURCE_IP = "10.0.0.10"


def is_direct(request: Request) -> bool:
    """Made by the caller itself, not by a service on its behalf (rule 3)."""
    if request.principal.kind is PrincipalKind.ANONYMOUS:
        return True
    return Context.of(request).values.get(VIA_AWS_SERVICE) == ("false",)


def network_problem(request: Request) -> str | None:
    """Why AWS never sends `request` (rules 1 to 3), or None."""
    present = Context.of(request).values
    through = [key for key in ENDPOINT_KEYS if key in present]
    if through and SOURCE_IP in present:
        return f"aws:SourceIp with {through[0]}: a request through a VPC endpoint has no aws:SourceIp"
    if (SOURCE_VPCE in present or VPC_SOURCE_IP in present) and SOURCE_VPC not in present:
        return "a request through a VPC endpoint without aws:SourceVpc"
    if SOURCE_VPC not in present and SOURCE_IP not in present and is_direct(request) \
            and request.principal.kind is not PrincipalKind.SERVICE:
        return "a direct request with neither aws:SourceIp nor aws:SourceVpc"
    return None


def completions(request: Request, read: Collection[str]) -> list[Request]:
    """`request` with the network keys no policy reads (`read`: lower-cased keys)
    filled in as AWS would send them, most likely first: over the internet, through
    a VPC endpoint, as a service's call on the caller's behalf. Keys policies read
    are never changed, so each completion gets the same decision."""
    present = Context.of(request).values
    signed = request.principal.kind not in (PrincipalKind.ANONYMOUS, PrincipalKind.SERVICE)

    def free(key: str) -> bool:
        return key not in read and key not in present

    def adding(keys: dict[str, str]) -> Request:
        extra = {key: (value,) for key, value in keys.items() if free(key)}
        return Request(request.principal, request.action, request.resource, request.resource_account,
                       {**request.context, **extra}, request.multi_valued_keys)

    direct = {VIA_AWS_SERVICE: "false"} if signed else {}
    found = []
    if request.principal.kind is not PrincipalKind.SERVICE:
        if not any(key in present for key in ENDPOINT_KEYS):
            found.append(adding({SOURCE_IP: EXAMPLE_SOURCE_IP, **direct}))
        if SOURCE_IP not in present:
            found.append(adding({SOURCE_VPC: EXAMPLE_VPC, SOURCE_VPCE: EXAMPLE_VPCE,
                                 VPC_SOURCE_IP: EXAMPLE_VPC_SOURCE_IP, **direct}))
        if signed:
            found.append(adding({VIA_AWS_SERVICE: "true"}))
    found.append(request)
    return [candidate for candidate in found if network_problem(candidate) is None] or [request]
