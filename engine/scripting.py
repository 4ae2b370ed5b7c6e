"""Run diagram scripts, conditions and timer expressions under RestrictedPython.

Every run has a time limit (budget.py) and the source must pass the rules of
script_rules.py, which refuse at deploy what the limit could not stop.

Known shortcoming: code still runs in the server's own process, and one
operation done in C is neither interrupted nor bounded in memory: `"x" * 10**9`
or `[0] * 10**9` allocates gigabytes, `a * a` on a number squared over and
over in a loop may take seconds on its last step, a regular expression may
backtrack for minutes, and `math.factorial(10**7)` runs to its end. Running
each script in a separate worker process, killed after a hard timeout and
started with a memory limit (resource.setrlimit), would lift this.
"""

import ast
import datetime
import functools
import math
import operator
import re
import types

from RestrictedPython import (
    compile_restricted_eval,
    compile_restricted_exec,
    limited_builtins,
    safe_builtins,
    utility_builtins,
)
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from RestrictedPython.PrintCollector import PrintCollector
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import (
    BasePythonScriptEngineEnvironment,
)

from .budget import run_limited
from .script_rules import SLOW_MATH, notify_templates, refusals

# math without the functions whose one call on a big number runs for minutes
# in C, out of reach of the time limit (script_rules refuses them by name too).
SAFE_MATH = types.ModuleType("math", "math without its slow big-number functions")
for _name in dir(math):
    if not _name.startswith("_") and _name not in SLOW_MATH | {"pow"}:
        setattr(SAFE_MATH, _name, getattr(math, _name))
ALLOWED_MODULES = {"datetime": datetime, "math": SAFE_MATH, "re": re}

_INPLACE = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "|=": operator.ior,
    "&=": operator.iand,
}

_SAFE_NAMES = (
    "all any dict enumerate filter list map max min reversed sorted sum zip".split()
)
# pow(9, 9**9) is one C call no time limit interrupts; the exceptions outside
# Exception would pass the engine's error handling and stop a server thread.
_WITHHELD = {"pow", "BaseException", "GeneratorExit", "KeyboardInterrupt", "SystemExit"}


class ScriptRefused(SyntaxError):
    """A script or expression that RestrictedPython will not compile."""


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level != 0 or name not in ALLOWED_MODULES:
        raise ImportError(
            f"scripts may import only {', '.join(sorted(ALLOWED_MODULES))}"
        )
    return ALLOWED_MODULES[name]


def _inplacevar(op, target, value):
    return _INPLACE[op](target, value)


def _builtins():
    names = dict(safe_builtins)
    names.update(limited_builtins)
    names.update({k: v for k, v in utility_builtins.items() if k in ("math",)})
    import builtins

    names.update({name: getattr(builtins, name) for name in _SAFE_NAMES})
    names["__import__"] = _guarded_import
    return {name: value for name, value in names.items() if name not in _WITHHELD}


BASE_GLOBALS = {
    "__builtins__": _builtins(),
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": _inplacevar,
    "_print_": PrintCollector,
    "_apply_": lambda function, *args, **kwargs: function(*args, **kwargs),
}


@functools.lru_cache(maxsize=2048)
def compile_expression(source: str):
    """Compile one expression restricted, raising ScriptRefused with the reasons."""
    result = compile_restricted_eval(source.strip())
    if result.errors:
        raise ScriptRefused("; ".join(result.errors))
    _refuse_by_rules(ast.parse(source.strip(), mode="eval"))
    return result.code


@functools.lru_cache(maxsize=2048)
def compile_script(source: str):
    """Compile a script restricted, raising ScriptRefused with the reasons."""
    result = compile_restricted_exec(source)
    if result.errors:
        raise ScriptRefused("; ".join(result.errors))
    tree = ast.parse(source)
    _refuse_foreign_imports(tree)
    _refuse_by_rules(tree)
    return result.code


def templates_of(source, expression=False):
    """The email template names a compiled script (or expression) passes to notify."""
    tree = ast.parse(source.strip(), mode="eval") if expression else ast.parse(source)
    return notify_templates(tree)


def _refuse_by_rules(tree):
    reasons = refusals(tree)
    if reasons:
        raise ScriptRefused("; ".join(reasons))


def _refuse_foreign_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        foreign = [name for name in names if name not in ALLOWED_MODULES]
        if foreign:
            allowed = ", ".join(sorted(ALLOWED_MODULES))
            raise ScriptRefused(f"import of {foreign[0]} (allowed: {allowed})")


def json_safe(value, name="value"):
    """Return `value` as JSON-shaped data (dates become ISO strings) or raise."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(item, name) for item in value]
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        if "typename" in value:
            raise TypeError(f"{name}: the key 'typename' is reserved")
        return {key: json_safe(item, name) for key, item in value.items()}
    raise TypeError(f"{name} holds a {type(value).__name__}, which task data cannot")


def _is_transient(name, value):
    return (
        name.startswith("_")
        or callable(value)
        or type(value).__name__ == "module"
        or isinstance(value, PrintCollector)
    )


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates against task data with restricted code and host functions."""

    def __init__(self, functions=None):
        super().__init__({})
        self.functions = dict(functions or {})

    def _scope(self, context, external_context):
        scope = dict(BASE_GLOBALS)
        scope.update(self.functions)
        scope.update(external_context or {})
        scope.update(context)
        return scope

    def evaluate(self, expression, context, external_context=None):
        code = compile_expression(expression)
        return run_limited(code, self._scope(context, external_context), "expression")

    def execute(self, script, context, external_context=None):
        clash = set(self.functions).intersection(context)
        if clash:
            raise ValueError(f"task data overwrites host functions: {sorted(clash)}")
        code = compile_script(script)
        scope = self._scope(context, external_context)
        reserved = set(BASE_GLOBALS) | set(self.functions) | set(external_context or {})
        run_limited(code, scope, "script")
        for name in list(context):
            if name not in scope:
                del context[name]
        for name, value in scope.items():
            if name in reserved or _is_transient(name, value):
                continue
            context[name] = json_safe(value, name)
        return True

    def call_service(self, context, **kwargs):
        raise NotImplementedError("service tasks are not supported")


def script_engine(functions=None):
    """A SpiffWorkflow script engine whose code runs restricted."""
    return PythonScriptEngine(environment=RestrictedEnvironment(functions))
