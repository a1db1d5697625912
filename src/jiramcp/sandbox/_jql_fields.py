"""What a JQL field means over an issue in Jira's wire shape: its values, operators and order.

Three shapes of field:
    AtomSpec    values compared by identity: each value is a set of lowercased atoms (id, name,
                key …); a clause matches when the issue's atoms meet the operand's atoms.
                Status, priority, users, labels, versions, sprints, keys, parent, selects.
    ScalarSpec  dates and numbers, compared by order and equality.
    TextSpec    text fields for `~` / `!~` and emptiness.
`Env` resolves a `Field` reference (system clause name, custom field name or clause name,
`cf[N]`) into one of these, with Jira's wording when the field does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jiramcp.jql import Field, Span
from jiramcp.sandbox._jql_context import EvalContext
from jiramcp.sandbox._jql_errors import JqlEvaluationError, JqlValueError
from jiramcp.sandbox._jql_specs import Spec

__all__ = ["Env", "field_values", "obj_atoms"]

Issue = Mapping[str, Any]

_UNSUPPORTED_SYSTEM = frozenset(
    {
        "lastviewed",
        "attachments",
        "issuelinktype",
        "level",
        "filter",
        "request",
        "savedfilter",
        "searchrequest",
        "category",
        "subtasks",
        "worklogauthor",
        "worklogcomment",
        "worklogdate",
        "workratio",
        "voter",
        "development",
        "issue.property",
        "approvals",
        "request-channel-type",
    }
)
_ALIASES = {
    "type": "issuetype",
    "createddate": "created",
    "updateddate": "updated",
    "resolutiondate": "resolved",
    "due": "duedate",
    "issuekey": "key",
    "id": "key",
    "issue": "key",
    "timeoriginalestimate": "originalestimate",
    "timeestimate": "remainingestimate",
    "fixversions": "fixversion",
    "components": "component",
    "versions": "affectedversion",
    "affectsversion": "affectedversion",
    "watchers": "watchers",
}


def field_values(issue: Issue) -> Mapping[str, Any]:
    return issue.get("fields") or {}


def obj_atoms(obj: Any, *keys: str) -> frozenset[str]:
    if not isinstance(obj, Mapping):
        return frozenset()
    return frozenset(str(obj[k]).lower() for k in keys if obj.get(k) not in (None, ""))


class Env:
    """The context, the issues and their indexes, shared by everything compiled for one search."""

    def __init__(self, ctx: EvalContext, issues: Sequence[Issue]) -> None:
        self.ctx = ctx
        self.issues = issues
        self._by_ref: dict[str, Issue] = {}
        for issue in issues:
            self._by_ref[str(issue.get("key", "")).lower()] = issue
            self._by_ref[str(issue.get("id", ""))] = issue
        self._users: dict[str, set[str]] = {}
        for user in ctx.users:
            account = str(user.get("accountId", "")).lower()
            for k in ("accountId", "displayName", "emailAddress", "name"):
                if user.get(k):
                    self._users.setdefault(str(user[k]).lower(), set()).add(account)
        self._user_names = {str(u.get("accountId", "")).lower(): str(u.get("displayName", "")) for u in ctx.users}
        self._specs: dict[str, Spec] = {}
        self._fields_by_custom_id: dict[int, Mapping[str, Any]] = {}
        self._fields_by_name: dict[str, Mapping[str, Any]] = {}
        for entry in ctx.fields:
            if not entry.get("custom"):
                continue
            schema = entry.get("schema") or {}
            custom_id = schema.get("customId") or _suffix_number(str(entry.get("id", "")))
            if custom_id is not None:
                self._fields_by_custom_id[int(custom_id)] = entry
            for name in [entry.get("name"), *(entry.get("clauseNames") or ())]:
                if name:
                    self._fields_by_name.setdefault(str(name).lower(), entry)

    # ---- references -------------------------------------------------------------------------
    def issue_by_ref(self, text: str, field_name: str) -> Issue:
        """The issue a key or id names; Jira's error when there is none."""
        issue = self._by_ref.get(text.strip().lower())
        if issue is None:
            raise JqlValueError(f"An issue with key '{text}' does not exist for field '{field_name}'.")
        return issue

    def ref_atoms(self, text: str) -> frozenset[str]:
        """Key and id of the issue a key or id names, or an empty set."""
        issue = self._by_ref.get(text.strip().lower())
        return frozenset({str(issue["key"]).lower(), str(issue["id"])}) if issue is not None else frozenset()

    def issue_atoms(self, text: str, field_name: str) -> frozenset[str]:
        issue = self.issue_by_ref(text, field_name)
        return frozenset({str(issue["key"]).lower(), str(issue["id"])})

    def user_atoms(self, text: str, field_name: str) -> frozenset[str]:
        """AccountIds a user operand names (accountId, display name or email)."""
        if not self.ctx.users:
            return frozenset({text.lower()})
        found = self._users.get(text.lower())
        if not found:
            raise JqlValueError(f"The value '{text}' does not exist for the field '{field_name}'.")
        return frozenset(found)

    def user_sort(self, obj: Any) -> str | None:
        if not isinstance(obj, Mapping):
            return None
        return str(obj.get("displayName") or self._user_names.get(str(obj.get("accountId", "")).lower(), "")).lower()

    def catalog_atoms(self, catalog: Sequence[Mapping[str, Any]], *keys: str) -> frozenset[str] | None:
        """All atoms of a reference list, or None when the list was not given (no validation)."""
        if not catalog:
            return None
        return frozenset().union(*(obj_atoms(item, *keys) for item in catalog))

    # ---- field resolution -------------------------------------------------------------------
    def spec_by_name(self, name: str) -> Spec:
        """The spec of a system field by its clause name."""
        return self.spec(Field(name, Span(0, 0)))

    def spec(self, field: Field) -> Spec:
        """The spec of a field reference; Jira's error when no such field exists."""
        key = field.name.lower()
        if key not in self._specs:
            self._specs[key] = self._build(field)
        return self._specs[key]

    def _build(self, field: Field) -> Spec:
        custom_id = field.custom_field_id
        if custom_id is not None:
            entry = self._fields_by_custom_id.get(custom_id)
            if entry is None:
                raise _no_field(field.name)
            return self._custom(field.name, entry)
        lowered = _ALIASES.get(field.name.lower(), field.name.lower())
        from jiramcp.sandbox._jql_system import SYSTEM_FIELDS

        builder = SYSTEM_FIELDS.get(lowered)
        if builder is not None:
            return builder(self, field.name)
        entry = self._fields_by_name.get(field.name.lower())
        if entry is not None:
            return self._custom(field.name, entry)
        if lowered in _UNSUPPORTED_SYSTEM or lowered.startswith("issue.property"):
            raise JqlEvaluationError(f"The sandbox cannot evaluate the field '{field.name}'.")
        raise _no_field(field.name)

    def _custom(self, name: str, entry: Mapping[str, Any]) -> Spec:
        from jiramcp.sandbox._jql_custom import custom_spec

        return custom_spec(self, name, entry)


def _suffix_number(field_id: str) -> int | None:
    tail = field_id.rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _no_field(name: str) -> JqlValueError:
    return JqlValueError(f"Field '{name}' does not exist or you do not have permission to view it.")
