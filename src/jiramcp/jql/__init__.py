"""JQL: parse, lint, build and restrict Jira Query Language queries. Knows nothing of MCP."""

from jiramcp.jql._ast import (
    And,
    Changed,
    Clause,
    Comparison,
    Empty,
    Expr,
    Field,
    FunctionCall,
    HistoryKeyword,
    HistoryPredicate,
    Not,
    Operand,
    Operator,
    Or,
    Query,
    SortDirection,
    SortKey,
    Span,
    Value,
    ValueList,
)
from jiramcp.jql._builder import Filter, build_jql, compile_filter
from jiramcp.jql._catalog import Catalog, FieldInfo
from jiramcp.jql._checks import Diagnostic
from jiramcp.jql._errors import JQLSyntaxError
from jiramcp.jql._lint import fix, lint
from jiramcp.jql._parser import parse
from jiramcp.jql._render import quote, render, same_query, strip_spans
from jiramcp.jql._restrict import project_scope, restrict

__all__ = [
    "And",
    "Catalog",
    "Changed",
    "Clause",
    "Comparison",
    "Diagnostic",
    "Empty",
    "Expr",
    "Field",
    "FieldInfo",
    "Filter",
    "FunctionCall",
    "HistoryKeyword",
    "HistoryPredicate",
    "JQLSyntaxError",
    "Not",
    "Operand",
    "Operator",
    "Or",
    "Query",
    "SortDirection",
    "SortKey",
    "Span",
    "Value",
    "ValueList",
    "build_jql",
    "compile_filter",
    "fix",
    "lint",
    "parse",
    "project_scope",
    "quote",
    "render",
    "restrict",
    "same_query",
    "strip_spans",
]
