"""Diagram code runs under RestrictedPython: escapes are refused, data stays JSON."""

import pytest

from engine.scripting import RestrictedEnvironment, ScriptRefused


@pytest.fixture
def env():
    return RestrictedEnvironment({"notify": lambda *args, **kwargs: None})


@pytest.mark.parametrize(
    "source",
    [
        "().__class__.__base__.__subclasses__()",
        "x = ().__class__",
        "getattr((), '__class__')",
        "open('/etc/passwd').read()",
        "import os\nos.system('true')",
        "from os import path",
        "__import__('os')",
        "eval('1')",
        "exec('x = 1')",
        "globals()",
        "[c for c in ().__class__.__mro__]",
        "f = lambda: 0\nf.__globals__",
        "import subprocess",
        "import sys",
    ],
)
def test_escape_attempts_are_refused(env, source):
    data = {}
    with pytest.raises((ScriptRefused, SyntaxError, NameError, ImportError)):
        env.execute(source, data)
    assert data == {}


def test_dunder_attribute_is_refused_at_compile_time(env):
    with pytest.raises(ScriptRefused, match="__subclasses__|invalid attribute"):
        env.evaluate("().__class__.__subclasses__()", {})


def test_format_string_attribute_walk_is_refused(env):
    with pytest.raises((ScriptRefused, NotImplementedError, AttributeError)):
        env.evaluate("'{0.__class__}'.format(1)", {})


def test_whitelisted_modules_can_be_imported(env):
    data = {"amount": 2.0}
    env.execute("import math\nroot = math.sqrt(amount)", data)
    assert data == {"amount": 2.0, "root": pytest.approx(1.4142, rel=1e-3)}


def test_other_modules_are_refused_before_running(env):
    with pytest.raises(ScriptRefused, match="import of json"):
        env.execute("import json", {})


def test_import_through_builtins_is_refused_when_running(env):
    with pytest.raises((ImportError, NameError, ScriptRefused)):
        env.execute("m = __builtins__['__import__']('os')", {})


def test_scripts_read_and_write_task_data(env):
    data = {"reopen_count": 1, "notes": ["a"]}
    env.execute("reopen_count += 1\nnotes = notes + ['b']\nflag = len(notes) > 1", data)
    assert data == {"reopen_count": 2, "notes": ["a", "b"], "flag": True}


def test_dates_become_iso_strings_and_modules_do_not_stay(env):
    data = {}
    env.execute("import datetime\nwhen = datetime.date(2026, 1, 2)", data)
    assert data == {"when": "2026-01-02"}


def test_values_task_data_cannot_hold_are_refused(env):
    with pytest.raises(TypeError, match="cannot"):
        env.execute("x = range(3)", {})


def test_host_functions_are_callable_but_not_stored(env):
    calls = []
    env = RestrictedEnvironment({"notify": lambda *a, **k: calls.append((a, k))})
    data = {"contact_email": "a@b.example"}
    env.execute("notify('case_logged', to=contact_email)", data)
    assert calls == [(("case_logged",), {"to": "a@b.example"})]
    assert data == {"contact_email": "a@b.example"}


def test_expressions_see_task_data(env):
    assert env.evaluate(
        'outcome == "needs_engineering"', {"outcome": "needs_engineering"}
    )
    assert env.evaluate('"P3D"', {}) == "P3D"


@pytest.mark.parametrize("name", ["SystemExit", "KeyboardInterrupt", "BaseException"])
def test_exceptions_the_engine_would_not_catch_cannot_be_raised(env, name):
    with pytest.raises(NameError):
        env.execute(f"raise {name}('stop the server')", {})


def test_a_runaway_loop_is_stopped_and_leaves_the_data(env, monkeypatch):
    from engine import budget

    monkeypatch.setattr(budget, "TIME_LIMIT_SECONDS", 0.1)
    data = {"count": 1}
    with pytest.raises(budget.ScriptTimeout, match="script ran too long"):
        env.execute("while True:\n    count += 1", data)
    assert data == {"count": 1}
