"""perimeter: prove an AWS IAM perimeter, or get the request that breaks it."""

__version__ = "0.1.0"
