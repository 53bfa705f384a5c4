"""Benchmarks of the encodings (`perimeter dev bench`, `perimeter dev export-smt`): the
checks over the policy corpus and over synthetic families that scale one
dimension at a time, per encoding, with the answers checked against each other."""
