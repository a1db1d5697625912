"""A faithful local Jira Cloud for tests, benchmarks and a zero-setup demo. Knows nothing of MCP.

    app = create_app(SandboxConfig(seed=7, issues=500))
    async with httpx.AsyncClient(transport=in_process_transport(app), base_url="http://sandbox",
                                 auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)) as client:
        await client.get("/rest/api/3/myself")

or over HTTP: `jiramcp sandbox serve --port 8080`. See `docs/readme/sandbox.md` for the seeded
data (projects, users, custom field ids, boards and sprints).
"""

from jiramcp.sandbox._app import Sandbox, create_app, in_process_transport, serve
from jiramcp.sandbox._config import SANDBOX_EMAIL, SANDBOX_TOKEN, SandboxConfig
from jiramcp.sandbox._jql_eval import EvalContext, JqlEvaluationError, search
from jiramcp.sandbox._serving import serving
from jiramcp.sandbox._traffic import DroppedConnection, FaultConfig, RateLimitConfig, RequestLog
from jiramcp.sandbox._traffic_report import TRAFFIC_REPORT_PATH, TrafficReport

__all__ = [
    "SANDBOX_EMAIL",
    "SANDBOX_TOKEN",
    "TRAFFIC_REPORT_PATH",
    "DroppedConnection",
    "EvalContext",
    "FaultConfig",
    "JqlEvaluationError",
    "RateLimitConfig",
    "RequestLog",
    "Sandbox",
    "SandboxConfig",
    "TrafficReport",
    "create_app",
    "in_process_transport",
    "search",
    "serve",
    "serving",
]
