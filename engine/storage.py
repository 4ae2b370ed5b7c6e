"""Serialize workflows to the serializer's JSON, keeping process specs per version.

A case's JSON holds its tasks and data; the process spec it runs is a named
reference to the parsed version, which is stored once with the version's
files. That keeps every case row small and spares re-reading the whole spec
on every load.
"""

from contextvars import ContextVar

from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

SPEC_TYPENAME = "VersionSpec"
_loading = ContextVar("specs being loaded")


class SpecMissing(LookupError):
    """The stored workflow names a process the given version does not have."""


class _SpecReference:
    """Stands for a process spec of the version the case runs on."""


class CaseWorkflowConverter(BpmnWorkflowConverter):
    """Writes the workflow with references to its specs instead of the specs."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["spec"] = _reference(workflow.spec)
        dct["subprocess_specs"] = {
            name: _reference(spec) for name, spec in workflow.subprocess_specs.items()
        }
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


def _reference(spec):
    return {"typename": SPEC_TYPENAME, "name": spec.name}


def _restore_spec(dct):
    specs = _loading.get()
    if dct["name"] not in specs:
        raise SpecMissing(f"this version has no process {dct['name']}")
    return specs[dct["name"]]


def _serializer():
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = CaseWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    registry.register(
        _SpecReference, lambda obj: {}, _restore_spec, typename=SPEC_TYPENAME
    )
    return BpmnWorkflowSerializer(registry)


SERIALIZER = _serializer()
SERIALIZER_VERSION = SERIALIZER.VERSION


def dump(workflow):
    """The workflow as JSON text, with the serializer's version inside."""
    return SERIALIZER.serialize_json(workflow)


def load(definition, state):
    """The workflow stored in `state`, running on the specs of `definition`."""
    specs = {definition.spec.name: definition.spec, **definition.subprocess_specs}
    token = _loading.set(specs)
    try:
        return SERIALIZER.deserialize_json(state)
    finally:
        _loading.reset(token)
