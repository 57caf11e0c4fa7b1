"""Terminal output escapes every non-printable character it is handed (issue 11, defect 3).

Scenario files can no longer carry control characters, but the renderer must not rely on that:
a run stored before the check, a GENIUS name or an error message still reach the terminal.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from burdenshare.cli import render
from burdenshare.cli.app import main
from burdenshare.store import RunRecord

HOSTILE = "A \x1b[2J\x1b[31mred\x1b[0m talk \u202eevil\x85 \x07"


def _console(force_terminal: bool) -> render.SafeConsole:
    return render.SafeConsole(
        file=io.StringIO(), force_terminal=force_terminal, width=200, highlight=False
    )


def _out(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


@pytest.mark.parametrize("force_terminal", [False, True])
def test_safe_console_escapes_control_characters_it_is_handed(force_terminal: bool) -> None:
    con = _console(force_terminal)
    con.print(HOSTILE, markup=False)
    out = _out(con)
    assert "\\x1b[2J\\x1b[31mred\\x1b[0m talk \\u202eevil\\x85" in out
    for raw in ("\x1b[2J", "\x1b[31m", "\u202e", "\x85", "\x07"):  # rich drops BEL itself
        assert raw not in out


def test_safe_console_keeps_its_own_styles() -> None:
    con = _console(True)
    con.print("[bold]plain[/]")
    assert "\x1b[1m" in _out(con)  # rich's own escape codes are untouched


def test_render_functions_escape_user_text_before_laying_it_out() -> None:
    con = _console(False)
    render.scenarios(con, [{"name": "x", "as_of": "2019-11-19", "title": HOSTILE}])
    render.validated(
        con,
        {
            "source": "s\x1b.yaml",
            "title": HOSTILE,
            "issues": ["a"],
            "parties": ["U\u202eS", "B"],
            "rounds": 1,
            "uncertain_parameters": 0,
        },
    )
    out = _out(con)
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "\\x1b[31mred" in out
    assert "U\\u202eS" in out


def test_runs_listing_escapes_titles_of_older_runs() -> None:
    record = RunRecord(
        id="0123456789ab",
        created_at="2019-11-19T00:00:00",
        scenario_id="old\x1b]0;pwned\x07run",
        scenario_sha256="0" * 64,
        scenario_text=None,
        seed=1,
        version="0.1.0",
        backend="local",
        parameters={},
        status="finished",
        n_sessions_planned=1,
        n_sessions_done=1,
    )
    con = _console(True)
    render.runs(con, [record])
    render.run_record(con, record)
    out = _out(con)
    assert "\x1b]0;" not in out
    assert "\x07" not in out
    assert "old\\x1b]0;pwned\\x07run" in out


def test_error_messages_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", "no-such-\x1b[2J-file.yaml"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "\x1b[2J" not in err
    assert "no-such-\\x1b[2J-file.yaml" in err


def test_a_line_number_next_to_a_colon_is_not_an_emoji(capsys: pytest.CaptureFixture[str]) -> None:
    """Found by the generated hostile corpus: rich turned ``mutant.yaml:100: field`` into
    ``mutant.yaml💯 field`` (its ``:100:`` emoji code), so an error on line 100 lost its line."""
    from burdenshare.cli.render import SafeConsole

    SafeConsole(highlight=False).print("error: s.yaml:100: title: text :smile:")
    assert capsys.readouterr().out.strip() == "error: s.yaml:100: title: text :smile:"
