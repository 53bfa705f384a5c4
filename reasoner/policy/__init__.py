"""The policy language: the typed model (frozen dataclasses, no solver), the parser
from JSON/YAML with errors naming file and JSON path, the meaning of patterns and
condition operators on concrete values (`matching`), the action catalogue, the
resource types of checks and of actions, and policy lint.

May import: `reasoner.errors` only. Imported by every other stage.
"""
