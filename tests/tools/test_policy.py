import pytest

from jiramcp.settings import ConfigError, load_settings
from jiramcp.tools import Policy, PolicyViolation, ToolSpec
from jiramcp.tools._policy import policy_from_settings


def spec(name: str, *, toolset: str = "issues", writes: bool = False, destructive: bool = False) -> ToolSpec:
    return ToolSpec(
        fn=lambda: None,
        name=name,
        title=name,
        toolset=toolset,
        writes=writes,
        destructive=destructive,
        idempotent=not writes,
    )


def test_read_only_policy_refuses_every_writing_tool_even_when_enabled_by_name():
    policy = Policy(read_only=True, enabled_tools=frozenset({"jira_create_issue"}))
    assert not policy.allows_tool(spec("jira_create_issue", writes=True))
    assert policy.allows_tool(spec("jira_get_issue"))


def test_destructive_tools_need_the_delete_switch():
    delete = spec("jira_delete_issue", writes=True, destructive=True)
    assert not Policy().allows_tool(delete)
    assert Policy(enable_delete=True).allows_tool(delete)


def test_toolsets_select_tools_and_an_explicit_enable_adds_one_more():
    policy = Policy(toolsets=frozenset({"search"}), enabled_tools=frozenset({"jira_get_issue"}))
    assert policy.allows_tool(spec("jira_search", toolset="search"))
    assert policy.allows_tool(spec("jira_get_issue"))
    assert not policy.allows_tool(spec("jira_get_project", toolset="metadata"))


def test_disabled_tools_win_over_everything():
    policy = Policy(enabled_tools=frozenset({"jira_search"}), disabled_tools=frozenset({"jira_search"}))
    assert not policy.allows_tool(spec("jira_search", toolset="search"))


def test_project_allow_list_refusal_names_the_parameter_and_the_allowed_projects():
    policy = Policy(projects=("PLAT", "OPS"))
    policy.check_issue_key("plat-12")
    with pytest.raises(PolicyViolation) as refused:
        policy.check_issue_key("MOB-3", parameter="from_key")
    message = str(refused.value)
    assert "from_key" in message and "PLAT, OPS" in message and "MOB" in message


def test_a_request_can_narrow_a_policy_but_never_widen_it():
    base = Policy(projects=("PLAT", "OPS"), toolsets=frozenset({"search", "issues"}))
    narrowed = base.narrowed(read_only=True, toolsets=["search", "agile"], projects=["ops", "MOB"])
    assert narrowed.read_only
    assert narrowed.toolsets == frozenset({"search"})
    assert narrowed.projects == ("OPS",)
    assert not base.narrowed(read_only=False).read_only
    assert not base.narrowed(projects=["MOB"]).allows_project("MOB")
    assert not base.narrowed(projects=["MOB"]).allows_project("PLAT")


def test_unknown_toolset_fails_at_start_up_naming_the_variable():
    settings = load_settings({"JIRAMCP_TOOLSETS": "search,isues"}, sandbox=True)
    with pytest.raises(ConfigError, match=r"JIRAMCP_TOOLSETS.*isues"):
        policy_from_settings(settings)


def test_enabled_tools_alone_mean_only_those_tools():
    policy = policy_from_settings(load_settings({"JIRAMCP_ENABLED_TOOLS": "jira_search,jira_get_issue"}, sandbox=True))
    assert policy.allows_tool(spec("jira_search", toolset="search"))
    assert not policy.allows_tool(spec("jira_lint_jql", toolset="search"))
    assert not policy.allows_tool(spec("jira_list_projects", toolset="metadata"))


def test_enabled_tools_beside_named_toolsets_add_to_them():
    env = {"JIRAMCP_TOOLSETS": "metadata", "ENABLED_TOOLS": "jira_search"}
    policy = policy_from_settings(load_settings(env, sandbox=True))
    assert policy.allows_tool(spec("jira_search", toolset="search"))
    assert policy.allows_tool(spec("jira_list_projects", toolset="metadata"))
    assert not policy.allows_tool(spec("jira_lint_jql", toolset="search"))
