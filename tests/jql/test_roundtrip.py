"""parse → render → parse is the identity on the tree (spans aside), for generated queries."""

from hypothesis import given, settings
from hypothesis import strategies as st

from jiramcp.jql import Field, Query, Span, parse, quote, render, same_query, strip_spans

_WORDS = st.sampled_from(["PROJ", "Done", "PROJ-12", "-7d", "v2.0", "42", "a_b", "x.y", "café"])
_ANY_TEXT = st.text(max_size=12)
_FIELDS = st.sampled_from(
    ["status", "project", '"Story Points"', "cf[10016]", "issue.property[k].p", "'Epic Link'", "labels"]
)
_OPS = st.sampled_from(["=", "!=", ">", ">=", "<", "<=", "~", "!~"])


_SCALAR = st.one_of(
    _WORDS,
    _ANY_TEXT.map(quote),
    st.just("EMPTY"),
    st.sampled_from(["now()", "currentUser()", 'membersOf("a b")', "startOfDay(-7d)", "f(1, x, 'y z')"]),
)
_LIST = st.lists(_SCALAR, min_size=1, max_size=3).map(lambda items: "(" + ", ".join(items) + ")")
_PREDICATE = st.tuples(st.sampled_from(["AFTER", "BEFORE", "ON", "BY", "FROM", "TO", "DURING"]), _SCALAR).map(" ".join)


@st.composite
def _clause(draw):
    field = draw(_FIELDS)
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return f"{field} {draw(_OPS)} {draw(_SCALAR)}"
    if kind == 1:
        return f"{field} {draw(st.sampled_from(['IN', 'NOT IN', 'WAS IN', 'WAS NOT IN']))} {draw(_LIST)}"
    if kind == 2:
        return f"{field} {draw(st.sampled_from(['IS', 'IS NOT']))} EMPTY"
    predicates = " ".join(draw(st.lists(_PREDICATE, max_size=2)))
    if kind == 3:
        return f"{field} CHANGED {predicates}"
    return f"{field} {draw(st.sampled_from(['WAS', 'WAS NOT']))} {draw(_SCALAR)} {predicates}"


_EXPR = st.recursive(
    _clause(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" AND ", " OR ", " && ", " || "]), inner).map("".join),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"NOT ({e})"),
        inner.map(lambda e: f"!{e}"),
    ),
    max_leaves=6,
)
_ORDER = st.lists(st.tuples(_FIELDS, st.sampled_from(["", " ASC", " DESC"])).map("".join), max_size=2)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.just(""), _EXPR), _ORDER)
def test_parse_render_parse_is_the_identity(where, order):
    text = where + (" ORDER BY " + ", ".join(order) if order else "")
    tree = parse(text)
    rendered = render(tree)
    assert same_query(parse(rendered), tree)
    assert render(parse(rendered)) == rendered


def test_strip_spans_zeroes_every_span():
    stripped = strip_spans(parse("a = b ORDER BY c"))
    assert stripped.span == Span(0, 0)
    assert stripped.order_by[0].field == Field("c", Span(0, 0))
    assert isinstance(stripped, Query)
