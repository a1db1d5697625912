"""Per-clause checks for the linter: fields, operators, operands, functions, values.

Each check appends `Diagnostic`s; `_lint` drives them over the tree and adds the query-level
ones. Messages use Jira's own wording where Jira has one, so what the linter says matches what
Jira would have answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jiramcp.jql._ast import Changed, Comparison, Empty, Field, FunctionCall, Operand, Operator, Span, Value, ValueList
from jiramcp.jql._catalog import Catalog, FieldInfo, closest
from jiramcp.jql._knowledge import (
    DEPRECATED_FIELDS,
    FUNCTIONS,
    HISTORY_FIELDS,
    KIND_OPERATORS,
    SYSTEM_FIELDS,
    WAS_PREDICATES,
)
from jiramcp.jql._render import is_bare_word, quote

Severity = Literal["error", "warning", "hint"]
_PLAIN_CACHE: dict[str, tuple[str, str | None, str | None]] = {}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a stable `code`, how bad it is, what and where, and the text that would
    replace `span` to fix it (None when there is no mechanical fix)."""

    code: str
    severity: Severity
    message: str
    span: Span
    replacement: str | None = None


_LIST_OPERATORS = frozenset({Operator.IN, Operator.NOT_IN, Operator.WAS_IN, Operator.WAS_NOT_IN})
_SINGLE_FOR_LIST = {
    Operator.EQ: "IN",
    Operator.NE: "NOT IN",
    Operator.WAS: "WAS IN",
    Operator.WAS_NOT: "WAS NOT IN",
}
_TEXT_SWAP = {Operator.EQ: "~", Operator.NE: "!~", Operator.CONTAINS: "=", Operator.NOT_CONTAINS: "!="}
_WAS_OPERATORS = frozenset({Operator.WAS, Operator.WAS_NOT, Operator.WAS_IN, Operator.WAS_NOT_IN})
_VALUE_FIELDS = {"status", "priority", "issuetype", "type", "project", "resolution"}


def _word(text: str, like: Value | None = None) -> str:
    if (like is None or not like.quoted) and is_bare_word(text):
        return text
    return quote(text)


class ClauseChecker:
    """Checks clauses against built-in knowledge and, when given, an instance's catalog."""

    __slots__ = ("catalog", "out")

    def __init__(self, catalog: Catalog | None, out: list[Diagnostic]) -> None:
        self.catalog = catalog if catalog is not None and catalog.fields else None
        self.out = out
        if catalog is not None and self.catalog is None and _has_values(catalog):
            self.catalog = catalog

    def _add(self, code: str, severity: Severity, message: str, span: Span, replacement: str | None = None) -> None:
        self.out.append(Diagnostic(code, severity, message, span, replacement))

    def field(self, field: Field) -> tuple[str, str | None]:
        """Check a field reference; return its canonical lower-case name and operator kind."""
        catalog = self.catalog
        cache = catalog._resolved if catalog is not None else _PLAIN_CACHE
        found = cache.get(field.name)
        if found is None:
            if len(cache) > 4096:
                cache.clear()
            found = cache[field.name] = self._resolve(field.name)
        canonical, kind, code = found
        if code is not None:
            self._report(code, field, canonical)
        return canonical, kind

    def _resolve(self, name: str) -> tuple[str, str | None, str | None]:
        """(canonical name, operator kind, finding code or None) for a field name; cached."""
        lowered = name.lower()
        base = lowered[: lowered.index("[")].rstrip() if lowered.endswith("]") and "[" in lowered else lowered
        if base in DEPRECATED_FIELDS:
            return DEPRECATED_FIELDS[base], "parent", "JQL201"
        if base == "issuefunction":
            return base, None, "JQL202"
        system = SYSTEM_FIELDS.get(lowered)
        catalog = self.catalog
        info: FieldInfo | None = catalog.field(name) if catalog is not None else None
        if info is not None:
            canonical = system.name.lower() if system else info.id.lower()
            ambiguous = info.custom and catalog is not None and catalog.is_ambiguous(name)
            return canonical, info.kind, "JQL109" if ambiguous else None
        if system is not None:
            return system.name.lower(), system.kind, None
        if catalog is not None and catalog.fields and not _is_property(lowered):
            return base, None, "JQL101"
        return base, None, None

    def _report(self, code: str, field: Field, canonical: str) -> None:
        name = field.name
        if code == "JQL201":
            self._add(
                code,
                "warning",
                f"'{name}' is deprecated in Jira Cloud: epics and their children are linked by the "
                f"parent field now; use `{canonical}`.",
                field.span,
                canonical,
            )
        elif code == "JQL202":
            self._add(
                code,
                "warning",
                "issueFunction comes from the ScriptRunner app; stock Jira Cloud does not know it and "
                "refuses the query unless that app is installed.",
                field.span,
            )
        elif code == "JQL109":
            info = self.catalog.field(name)  # type: ignore[union-attr]
            number = info.id.removeprefix("customfield_")  # type: ignore[union-attr]
            self._add(
                code,
                "warning",
                f"Several custom fields are named '{info.name}'; Jira cannot tell which one you mean. "  # type: ignore[union-attr]
                f"Refer to it by id: cf[{number}].",
                field.span,
                f"cf[{number}]",
            )
        else:
            suggestion = self.catalog.closest_field(canonical)  # type: ignore[union-attr]
            hint = ""
            replacement = None
            if suggestion is not None:
                replacement = _word(suggestion.name)
                alias = f" (or cf[{suggestion.id.removeprefix('customfield_')}])" if suggestion.custom else ""
                hint = f" Did you mean {replacement}{alias}?"
            self._add(
                code,
                "error",
                f"Field '{name}' does not exist or you do not have permission to view it.{hint}",
                field.span,
                replacement,
            )

    def clause(self, clause: Comparison | Changed, canonical: str, kind: str | None) -> None:
        field = clause.field
        if type(clause) is Changed:
            self._history(field, canonical, "CHANGED", clause.span)
            for predicate in clause.predicates:
                self._functions(predicate.operand, canonical)
            return
        operator = clause.operator  # type: ignore[union-attr]
        operand = clause.operand  # type: ignore[union-attr]
        if operator in _WAS_OPERATORS:
            self._history(field, canonical, operator.value.upper(), clause.span)
            for predicate in clause.predicates:
                if predicate.keyword.value not in WAS_PREDICATES:
                    self._add(
                        "JQL108",
                        "error",
                        f"{predicate.keyword.value.upper()} is only allowed after CHANGED; after "
                        f"{operator.value.upper()} use AFTER, BEFORE, BY, DURING or ON.",
                        predicate.span,
                    )
        elif kind is not None and operator not in KIND_OPERATORS[kind]:
            # `summary = x` meant `~`; `status ~ x` meant `=`. Other mismatches have no safe swap.
            text_op = operator in (Operator.CONTAINS, Operator.NOT_CONTAINS)
            swap = _TEXT_SWAP[operator] if (kind == "text") != text_op and operator in _TEXT_SWAP else None
            self._add(
                "JQL103",
                "error",
                f"The operator '{operator.value.upper()}' is not supported by the '{field.name}' field."
                + (f" Use '{swap}'." if swap else ""),
                Span(field.span.end, operand.span.start),
                f" {swap} " if swap else None,
            )
        self._operand_shape(operator, operand, field)
        self._functions(operand, canonical)
        for predicate in clause.predicates:
            self._functions(predicate.operand, canonical)
        if self.catalog is not None and canonical in _VALUE_FIELDS:
            self._values(operand, canonical)

    def _history(self, field: Field, canonical: str, operator: str, span: Span) -> None:
        if canonical not in HISTORY_FIELDS:
            self._add(
                "JQL104",
                "error",
                f"{operator} needs the field's change history, which Jira keeps only for assignee, "
                f"fixVersion, priority, reporter, resolution and status - not '{field.name}'.",
                span,
            )

    def _operand_shape(self, operator: Operator, operand: Operand, field: Field) -> None:
        kind = type(operand)
        if operator in (Operator.IS, Operator.IS_NOT) and kind is not Empty:
            swap = "=" if operator is Operator.IS else "!="
            self._add(
                "JQL105",
                "error",
                f"The operator '{operator.value.upper()}' only supports EMPTY or NULL; use '{swap}' to "
                "compare with a value.",
                Span(field.span.end, operand.span.start),
                None if kind is ValueList else f" {swap} ",
            )
        elif operator in _LIST_OPERATORS and kind is Value:
            self._add(
                "JQL105",
                "error",
                f"The operator '{operator.value.upper()}' needs a list: ({_word(operand.text, operand)}).",  # type: ignore[union-attr]
                operand.span,
                f"({_word(operand.text, operand)})",  # type: ignore[union-attr]
            )
        elif kind is ValueList and operator not in _LIST_OPERATORS:
            swap = _SINGLE_FOR_LIST.get(operator)
            self._add(
                "JQL105",
                "error",
                f"The operator '{operator.value.upper()}' takes a single value, not a list"
                + (f"; use {swap}." if swap else "."),
                Span(field.span.end, operand.span.start),
                f" {swap} " if swap else None,
            )

    def _functions(self, operand: Operand, canonical: str) -> None:
        if type(operand) is ValueList:
            for item in operand.items:
                self._functions(item, canonical)
            return
        if type(operand) is not FunctionCall:
            return
        info = FUNCTIONS.get(operand.name.lower())
        if info is None:
            if canonical == "issuefunction":
                return
            near = closest(operand.name, {name: fn.name for name, fn in FUNCTIONS.items()})
            self._add(
                "JQL106",
                "warning",
                f"'{operand.name}()' is not a built-in Jira Cloud function; it works only if an installed "
                "app provides it." + (f" Did you mean {near}()?" if near else ""),
                operand.span,
            )
            return
        count = len(operand.args)
        if count < info.min_args or (info.max_args is not None and count > info.max_args):
            if info.max_args is None:
                wanted = f"at least {info.min_args}"
            elif info.min_args == info.max_args:
                wanted = str(info.min_args)
            else:
                wanted = f"{info.min_args} to {info.max_args}"
            self._add(
                "JQL107",
                "error",
                f"Function '{info.name}' expects {wanted} argument(s) but got {count}.",
                operand.span,
            )

    def _values(self, operand: Operand, canonical: str) -> None:
        assert self.catalog is not None
        table = self.catalog.values_for(canonical)
        if table is None:
            return
        items = operand.items if type(operand) is ValueList else (operand,)  # type: ignore[union-attr]
        for item in items:
            if type(item) is not Value:
                continue
            lowered = item.text.lower()
            if lowered in table or (canonical == "resolution" and lowered == "unresolved"):
                continue
            near = closest(item.text, table)
            self._add(
                "JQL102",
                "error",
                f"The value '{item.text}' does not exist for the field '{canonical}'."
                + (f" Did you mean {_word(near)}?" if near else ""),
                item.span,
                _word(near, item) if near else None,
            )


def _is_property(lowered: str) -> bool:
    return "[" in lowered and not lowered.startswith("cf[")


def _has_values(catalog: Catalog) -> bool:
    return bool(
        catalog.statuses or catalog.priorities or catalog.issue_types or catalog.projects or catalog.resolutions
    )
