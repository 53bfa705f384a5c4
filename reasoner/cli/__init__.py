"""The `perimeter` command line: thin typer commands over the library, one module
per command group; errors become one-line messages and exit codes in `app`.

May import: everything.
"""
