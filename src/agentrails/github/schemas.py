"""Strict schemas of every request body agentrails sends to GitHub.

GitHub's own OpenAPI description lets unknown keys through (a misspelt key is silently
ignored, so a protection you meant to set is simply absent). These schemas say
``additionalProperties: false`` everywhere: a body either has exactly the keys we know, or it
is not sent. They are plain JSON Schema (draft 2020-12); ``agentrails.github.validate`` checks
them with ``jsonschema`` before anything is sent.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def strict_object(properties: Schema, required: tuple[str, ...] = ()) -> Schema:
    """An object with exactly these keys (``required`` of them mandatory)."""
    return {"type": "object", "properties": properties, "required": list(required),
            "additionalProperties": False}


def nullable(schema: Schema) -> Schema:
    """``schema`` or JSON null."""
    return {"oneOf": [{"type": "null"}, schema]}


BOOLEAN: Schema = {"type": "boolean"}
NAME: Schema = {"type": "string", "minLength": 1}
NAMES: Schema = {"type": "array", "items": NAME}


def rule(kind: str, parameters: Schema | None = None) -> Schema:
    """One ruleset rule: its ``type`` and, when it has any, its ``parameters``."""
    properties: Schema = {"type": {"const": kind}}
    if parameters is None:
        return strict_object(properties, ("type",))
    properties["parameters"] = parameters
    return strict_object(properties, ("type", "parameters"))


PATTERN = strict_object(
    {"name": {"type": "string"}, "negate": BOOLEAN,
     "operator": {"enum": ["starts_with", "ends_with", "contains", "regex"]}, "pattern": NAME},
    ("operator", "pattern"),
)
PULL_REQUEST = strict_object(
    {
        "required_approving_review_count": {"type": "integer", "minimum": 0, "maximum": 10},
        "dismiss_stale_reviews_on_push": BOOLEAN,
        "require_code_owner_review": BOOLEAN,
        "require_last_push_approval": BOOLEAN,
        "required_review_thread_resolution": BOOLEAN,
        "allowed_merge_methods": {"type": "array", "minItems": 1,
                                  "items": {"enum": ["merge", "squash", "rebase"]}},
    },
    ("required_approving_review_count", "dismiss_stale_reviews_on_push",
     "require_code_owner_review", "require_last_push_approval",
     "required_review_thread_resolution"),
)
STATUS_CHECK = strict_object({"context": NAME, "integration_id": {"type": "integer"}},
                             ("context",))
STATUS_CHECKS = strict_object(
    {"strict_required_status_checks_policy": BOOLEAN, "do_not_enforce_on_create": BOOLEAN,
     "required_status_checks": {"type": "array", "minItems": 1, "items": STATUS_CHECK}},
    ("strict_required_status_checks_policy", "required_status_checks"),
)

RULES: dict[str, Schema] = {
    "creation": rule("creation"),
    "update": rule("update", strict_object({"update_allows_fetch_and_merge": BOOLEAN},
                                           ("update_allows_fetch_and_merge",))),
    "deletion": rule("deletion"),
    "required_linear_history": rule("required_linear_history"),
    "required_signatures": rule("required_signatures"),
    "non_fast_forward": rule("non_fast_forward"),
    "pull_request": rule("pull_request", PULL_REQUEST),
    "required_status_checks": rule("required_status_checks", STATUS_CHECKS),
    "required_deployments": rule("required_deployments", strict_object(
        {"required_deployment_environments": NAMES}, ("required_deployment_environments",))),
    **{kind: rule(kind, PATTERN) for kind in (
        "commit_message_pattern", "commit_author_email_pattern", "committer_email_pattern",
        "branch_name_pattern", "tag_name_pattern")},
}

BYPASS_ACTOR = strict_object(
    {"actor_id": {"type": ["integer", "null"]},
     "actor_type": {"enum": ["Integration", "OrganizationAdmin", "RepositoryRole", "Team",
                             "DeployKey", "User"]},
     "bypass_mode": {"enum": ["always", "pull_request", "exempt"]}},
    ("actor_id", "actor_type", "bypass_mode"),
)

# The body of POST /repos/{owner}/{repo}/rulesets and PUT .../rulesets/{id}: every key is
# required, so a file in .github/rulesets/ says everything and an update replaces everything.
RULESET = strict_object(
    {
        "name": NAME,
        "target": {"enum": ["branch", "tag", "push"]},
        "enforcement": {"enum": ["disabled", "active", "evaluate"]},
        "bypass_actors": {"type": "array", "items": BYPASS_ACTOR},
        "conditions": strict_object(
            {"ref_name": strict_object({"include": NAMES, "exclude": NAMES},
                                       ("include", "exclude"))},
            ("ref_name",)),
        "rules": {"type": "array", "items": {"oneOf": list(RULES.values())}},
    },
    ("name", "target", "enforcement", "bypass_actors", "conditions", "rules"),
)

# The body of PATCH /repos/{owner}/{repo}/git/refs/{ref}: a full SHA, and never a force.
REF_UPDATE = strict_object(
    {"sha": {"type": "string", "pattern": "^[0-9a-f]{40}$"}, "force": {"const": False}},
    ("sha", "force"),
)

# The body of PUT /repos/{owner}/{repo}/branches/{branch}/protection (the classic fallback).
# ``contexts`` rather than ``checks``: GitHub's description requires ``contexts`` and GitHub
# refuses a body that has both.
CLASSIC_PROTECTION = strict_object(
    {
        "required_status_checks": nullable(strict_object(
            {"strict": BOOLEAN, "contexts": NAMES}, ("strict", "contexts"))),
        "enforce_admins": {"type": ["boolean", "null"]},
        "required_pull_request_reviews": nullable(strict_object(
            {"dismiss_stale_reviews": BOOLEAN, "require_code_owner_reviews": BOOLEAN,
             "required_approving_review_count": {"type": "integer", "minimum": 0, "maximum": 6},
             "require_last_push_approval": BOOLEAN},
            ("dismiss_stale_reviews", "require_code_owner_reviews",
             "required_approving_review_count", "require_last_push_approval"))),
        "restrictions": nullable(strict_object(
            {"users": NAMES, "teams": NAMES, "apps": NAMES}, ("users", "teams", "apps"))),
        "required_linear_history": BOOLEAN,
        "allow_force_pushes": BOOLEAN,
        "allow_deletions": BOOLEAN,
        "block_creations": BOOLEAN,
        "required_conversation_resolution": BOOLEAN,
        "lock_branch": BOOLEAN,
        "allow_fork_syncing": BOOLEAN,
    },
    ("required_status_checks", "enforce_admins", "required_pull_request_reviews", "restrictions",
     "allow_force_pushes", "allow_deletions"),
)

# The self-heal loop's bodies: issues, comments, labels, dispatches and pull requests.
TEXT: Schema = {"type": "string", "maxLength": 65_536}  # GitHub's limit of a body
ISSUE_CREATE = strict_object(
    {"title": {"type": "string", "minLength": 1, "maxLength": 256}, "body": TEXT,
     "labels": NAMES},
    ("title", "body", "labels"))
ISSUE_BODY = strict_object({"body": TEXT}, ("body",))
LABEL_CREATE = strict_object(
    {"name": NAME, "color": {"type": "string", "pattern": "^[0-9a-fA-F]{6}$"},
     "description": {"type": "string", "maxLength": 100}},
    ("name", "color", "description"))
# The agent workflow takes one input: the issue number.
WORKFLOW_DISPATCH = strict_object(
    {"ref": NAME, "inputs": strict_object({"issue": {"type": "string", "pattern": "^[1-9][0-9]*$"}},
                                          ("issue",))},
    ("ref", "inputs"))


def _text(limit: int) -> Schema:
    return {"type": "string", "maxLength": limit}


# A production-error dispatch: the payload of agentrails.selfheal.payload, with its limits
# (a test keeps the two in step).
REPOSITORY_DISPATCH = strict_object(
    {"event_type": {"const": "production-error"},
     "client_payload": strict_object({
         "fingerprint": _text(200), "title": _text(300), "culprit": _text(300),
         "stacktrace": _text(12_000), "url": _text(2_000), "environment": _text(64),
         "level": _text(16), "release": _text(100), "source": _text(40),
         "count": {"type": "integer", "minimum": 0}})},
    ("event_type", "client_payload"))
PULL_CREATE = strict_object(
    {"title": {"type": "string", "minLength": 1, "maxLength": 256}, "head": NAME,
     "base": NAME, "body": TEXT, "draft": BOOLEAN, "maintainer_can_modify": BOOLEAN},
    ("title", "head", "base", "body", "draft", "maintainer_can_modify"))

SCHEMAS: dict[str, Schema] = {
    "ruleset": RULESET,
    "ref-update": REF_UPDATE,
    "classic-protection": CLASSIC_PROTECTION,
    "issue-create": ISSUE_CREATE,
    "issue-body": ISSUE_BODY,
    "label-create": LABEL_CREATE,
    "workflow-dispatch": WORKFLOW_DISPATCH,
    "repository-dispatch": REPOSITORY_DISPATCH,
    "pull-create": PULL_CREATE,
}
