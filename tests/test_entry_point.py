import subprocess
import sys

from jiramcp import __version__
from jiramcp.cli import main


def test_version_flag_prints_the_installed_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exit_:
        assert exit_.code == 0
    assert __version__ in capsys.readouterr().out


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "jiramcp", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("jiramcp ")


def test_tools_lists_every_tool_even_without_the_tokenizer(monkeypatch, capsys):
    # A None entry in sys.modules makes `import bpe_openai` fail, as on an install without the extra.
    monkeypatch.setitem(sys.modules, "bpe_openai", None)
    assert main(["tools"]) == 0
    out = capsys.readouterr().out
    assert "jira_search" in out and "?" in out
    assert "pip install 'jiramcp[tokens]'" in out


def test_building_the_server_imports_no_text_converter_or_validator():
    # Start-up pays only for what answering `tools/list` needs: Markdown parsers and the schema
    # validators load with the first conversion.
    code = (
        "import sys\n"
        "from jiramcp.server import build_server\n"
        "from jiramcp.settings import load_settings\n"
        "build_server(load_settings({}, sandbox=True))\n"
        "print(sorted(m for m in ('markdown_it', 'pyromark', 'jsonschema', 'jsonschema_rs') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
