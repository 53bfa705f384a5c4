"""Benchmarks of the encodings (`perimeter bench`, `perimeter export-smt`): the
checks over the policy corpus and over synthetic families that scale one
dimension at a time, per encoding, with the answers checked against each other."""
