"""State changes as a service: the approval workflow and named operations (docs/workflow.md).

A record's state moves only by a transition of its approval (``approval``) or by a named
operation of its module (``operations``, ``runner``); the screens and APIs offer both
(``approval_views``, ``approval_api``, ``operation_views``, ``operation_api``), ``jiguan op``
runs an operation (``commands``). ``plugin`` installs the service through the module hooks.
"""
