"""Check BPMN and DMN documents against the OMG XML schemas SpiffWorkflow ships."""

import functools

from lxml import etree
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as DMN_SCHEMAS
from SpiffWorkflow.spiff.parser.process import VALIDATOR as SPIFF_BPMN_VALIDATOR

from .problem import Problem

BPMN_MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MAX_REPORTED = 20


@functools.cache
def _dmn_schema(namespace):
    path = DMN_SCHEMAS.get(namespace)
    return None if path is None else etree.XMLSchema(etree.parse(path))


def check_bpmn_schema(root, name):
    """Problems found validating `root` against BPMN 2.0 (with Spiff extensions)."""
    if etree.QName(root).namespace != BPMN_MODEL_NS or etree.QName(root).localname != (
        "definitions"
    ):
        return [Problem(name, "not a BPMN 2.0 document (bpmn:definitions expected)")]
    SPIFF_BPMN_VALIDATOR.preprocess(root)
    return _problems(SPIFF_BPMN_VALIDATOR.validator, root, name)


def check_dmn_schema(root, name):
    """Problems found validating `root` against the DMN schema of its namespace."""
    schema = _dmn_schema(etree.QName(root).namespace)
    if schema is None or etree.QName(root).localname != "definitions":
        return [Problem(name, "not a DMN 1.1, 1.2 or 1.3 document")]
    return _problems(schema, root, name)


def _problems(schema, root, name):
    if schema.validate(root):
        return []
    by_line = {element.sourceline: element for element in root.iter()}
    problems = []
    for error in list(schema.error_log)[:MAX_REPORTED]:
        element = by_line.get(error.line)
        element_id = element.get("id") if element is not None else None
        where = element_id or f"{name} line {error.line}"
        problems.append(Problem(where, f"schema: {error.message}"))
    return problems
