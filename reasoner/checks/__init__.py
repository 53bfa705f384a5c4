"""The three custom policy checks of IAM Access Analyzer (no-public-access,
no-new-access, access-not-granted), answered by SMT with a replayed witness.

May import: the stages below (`policy`, `evaluation`, `encodings`, `solving`).
"""
