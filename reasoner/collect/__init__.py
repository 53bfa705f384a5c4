"""`perimeter collect`: a snapshot of a live AWS organization (or of some accounts) in
one command, written in the layout `reach`, `who-can`, `graph` and `prove` read.

Owns: the AWS calls (boto3, read-only), the account sessions (AssumeRole into
`--role-name`), the retries and bounded concurrency, the collection manifest
(`collection.json`: every call that failed and every piece of the snapshot it left
missing) and the atomic writing of the snapshot folder.

May import: `reasoner.errors`, `reasoner.policy` (to check that each collected policy
parses) and `reasoner.inputs` (to read the finished snapshot back before it is
published). Nothing above it imports it but the CLI; nothing else talks to AWS.

"Nothing lost, nothing invented": a call that fails is recorded, and what it would
have given is named as missing in the manifest, never written as "no policy".
"""

from reasoner.collect.run import CollectOptions, CollectResult, collect

__all__ = ["CollectOptions", "CollectResult", "collect"]
