"""The reference semantics: one concrete request against every policy that applies
to it (`evaluate`), scenario files (`scenario`), the text report of a decision
(`explain`), and request spaces with concrete membership (`spaces`, `membership`).

Plain Python, no solver: the truth the encodings are tested against.
May import: `reasoner.errors`, `reasoner.policy`.
"""
