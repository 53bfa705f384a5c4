"""The one reader of IAM user/role ARNs and session ARNs (reasoner.policy.principals)."""

from __future__ import annotations

import pytest

from reasoner.policy.principals import IamArn, SessionArn, parse_iam_arn, parse_session_arn


@pytest.mark.parametrize(("text", "expected"), [
    ("arn:aws:iam::111111111111:role/app", IamArn("aws", "111111111111", "role", "", "app")),
    ("arn:aws:iam::111111111111:role/aws-service-role/s3.amazonaws.com/Svc",
     IamArn("aws", "111111111111", "role", "aws-service-role/s3.amazonaws.com/", "Svc")),
    # empty path segments are valid IAM paths (`/a//`)
    ("arn:aws:iam::111111111111:role/a//x", IamArn("aws", "111111111111", "role", "a//", "x")),
    ("arn:aws-cn:iam::111111111111:user/team/alice", IamArn("aws-cn", "111111111111", "user", "team/", "alice")),
])
def test_iam_arns_split_into_their_fields(text: str, expected: IamArn) -> None:
    assert parse_iam_arn(text) == expected
    assert expected.arn == text


@pytest.mark.parametrize("text", [
    "arn:aws:iam::11111111111:role/app",  # 11 digits
    "arn:aws:iam::111111111111:role/",  # no name
    "arn:aws:iam::111111111111:group/admins",
    "arn:aws:sts::111111111111:assumed-role/app/s",
    "arn:aws:iam::111111111111:role/p\u00e4th/x",  # a path is printable ASCII
])
def test_other_texts_are_not_iam_arns(text: str) -> None:
    assert parse_iam_arn(text) is None


def test_the_kind_filter_keeps_users_apart_from_roles() -> None:
    assert parse_iam_arn("arn:aws:iam::111111111111:user/alice", kind="role") is None
    assert parse_iam_arn("arn:aws:iam::111111111111:user/alice", kind="user") is not None


def test_a_session_arn_names_its_role_without_the_path() -> None:
    session = parse_session_arn("arn:aws:sts::111111111111:assumed-role/app/build-42")
    assert session == SessionArn("aws", "111111111111", "app", "build-42")
    assert session.role_arn == "arn:aws:iam::111111111111:role/app"
    assert parse_session_arn("arn:aws:iam::111111111111:role/app") is None
