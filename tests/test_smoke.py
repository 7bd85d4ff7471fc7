from typer.testing import CliRunner

from veil.cli import app


def test_help_lists_check() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "check" in result.output


def test_missing_path_is_usage_error(tmp_path) -> None:
    result = CliRunner().invoke(app, ["check", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
