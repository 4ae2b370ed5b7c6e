"""The only home of SpiffWorkflow: parse, check, run and store case workflows."""

from .decisions import decide_priority, decision_problems, set_case_data
from .definition import (
    DefinitionInvalid,
    HumanStep,
    ProcessDefinition,
    bundle_hash,
    load_definition,
)
from .migration import MigrationPlan, MigrationRefused, migrate_case, plan_migration
from .problem import Problem
from .runtime import (
    Outcome,
    ProcessFault,
    TaskNotReady,
    complete_task,
    fire_timers,
    keep,
    read_case,
    start_case,
)
from .scripting import ScriptRefused, json_safe
from .storage import SERIALIZER_VERSION
from .xmlsafe import UnsafeXml, parse_xml

__all__ = [
    "SERIALIZER_VERSION",
    "DefinitionInvalid",
    "HumanStep",
    "MigrationPlan",
    "MigrationRefused",
    "Outcome",
    "Problem",
    "ProcessDefinition",
    "ProcessFault",
    "ScriptRefused",
    "TaskNotReady",
    "UnsafeXml",
    "bundle_hash",
    "complete_task",
    "decide_priority",
    "decision_problems",
    "fire_timers",
    "json_safe",
    "keep",
    "load_definition",
    "migrate_case",
    "parse_xml",
    "plan_migration",
    "read_case",
    "set_case_data",
    "start_case",
]
