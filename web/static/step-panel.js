/*
 * The modeler's step panel: what the process runs at the element selected in
 * the modeler, as the process keeps it.
 *
 * - a user task: the form people fill in (spiffworkflow:property
 *   "formJsonSchemaFilename"), the instructions they read
 *   (spiffworkflow:instructionsForEndUser) and the scripts run before the form
 *   is shown and after it is submitted (spiffworkflow:preScript, postScript);
 * - a script task: its script (bpmn:script, Python);
 * - a sequence flow leaving an exclusive or inclusive gateway: its condition
 *   (bpmn:conditionExpression) and whether it is the gateway's default flow;
 * - a timer event: its kind (duration, date or cycle) and expression.
 *
 * Load it after modeler.js. The page holds [data-step-panel] with a heading
 * [data-step-kind] and [data-step-name], and one [data-step-section] per kind
 * above (task, script, condition, timer) holding the fields named by their
 * data-step-* attributes. It starts when modeler.js announces the modeler with
 * the document event "casepath:modeler-ready", or at once when the modeler was
 * ready first. Every change is an undoable modeling command.
 */
(function () {
  "use strict";

  var SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core";
  var FORM = "formJsonSchemaFilename";
  var GATEWAYS = ["bpmn:ExclusiveGateway", "bpmn:InclusiveGateway"];
  var TIMER_KINDS = ["timeDuration", "timeDate", "timeCycle"];
  var KIND_WORDS = {
    task: "Task",
    script: "Script",
    condition: "Flow",
    timer: "Timer",
  };

  function extensions(modeler, element) {
    var holder = element.businessObject.extensionElements;
    if (!holder) {
      holder = modeler.get("moddle").create("bpmn:ExtensionElements", {
        values: [],
      });
      holder.$parent = element.businessObject;
      modeler
        .get("modeling")
        .updateProperties(element, { extensionElements: holder });
    }
    holder.values = holder.values || [];
    return holder;
  }

  function child(holder, type) {
    return ((holder && holder.values) || []).find(function (value) {
      return value.$type === type;
    });
  }

  function formOf(task) {
    var properties = child(
      task.businessObject.extensionElements,
      "spiffworkflow:properties"
    );
    var found = ((properties && properties.$children) || []).find(function (p) {
      return p.name === FORM;
    });
    return found ? found.value : "";
  }

  function textOf(element, type) {
    var found = child(element.businessObject.extensionElements, type);
    return (found && found.$body) || "";
  }

  function setForm(modeler, task, file) {
    var moddle = modeler.get("moddle");
    var holder = extensions(modeler, task);
    var properties = child(holder, "spiffworkflow:properties");
    if (!properties) {
      properties = moddle.createAny("spiffworkflow:properties", SPIFF, {});
      properties.$children = [];
      properties.$parent = holder;
      holder.values.push(properties);
    }
    var kept = (properties.$children || []).filter(function (p) {
      return p.name !== FORM;
    });
    if (file) {
      var property = moddle.createAny("spiffworkflow:property", SPIFF, {
        name: FORM,
        value: file,
      });
      property.$parent = properties;
      kept.unshift(property);
    }
    modeler
      .get("modeling")
      .updateModdleProperties(task, properties, { $children: kept });
  }

  function setText(modeler, element, type, text) {
    // One extension element of `type` holding `text`; none when it is blank.
    var holder = extensions(modeler, element);
    var kept = holder.values.filter(function (value) {
      return value.$type !== type;
    });
    if (text.trim()) {
      var made = modeler.get("moddle").createAny(type, SPIFF, { $body: text });
      made.$parent = holder;
      kept.push(made);
    }
    modeler
      .get("modeling")
      .updateModdleProperties(element, holder, { values: kept });
  }

  function expression(modeler, text) {
    return modeler.get("moddle").create("bpmn:FormalExpression", { body: text });
  }

  function timerOf(element) {
    var definitions = element.businessObject.eventDefinitions || [];
    return definitions.find(function (definition) {
      return definition.$type === "bpmn:TimerEventDefinition";
    });
  }

  function timerValue(timer) {
    for (var i = 0; i < TIMER_KINDS.length; i += 1) {
      var held = timer[TIMER_KINDS[i]];
      if (held) {
        return { kind: TIMER_KINDS[i], text: held.body || "" };
      }
    }
    return { kind: "timeDuration", text: "" };
  }

  function setTimer(modeler, element, kind, text) {
    var timer = timerOf(element);
    var changes = {};
    TIMER_KINDS.forEach(function (name) {
      changes[name] = undefined;
    });
    if (text.trim()) {
      changes[kind] = expression(modeler, text.trim());
    }
    modeler.get("modeling").updateModdleProperties(element, timer, changes);
  }

  function kindOf(element) {
    if (!element) {
      return null;
    }
    if (element.type === "bpmn:UserTask") {
      return "task";
    }
    if (element.type === "bpmn:ScriptTask") {
      return "script";
    }
    if (
      element.type === "bpmn:SequenceFlow" &&
      element.source &&
      GATEWAYS.indexOf(element.source.type) !== -1
    ) {
      return "condition";
    }
    if (timerOf(element)) {
      return "timer";
    }
    return null;
  }

  function start(modeler) {
    var panel = document.querySelector("[data-step-panel]");
    if (!panel) {
      return;
    }
    var field = function (name) {
      return panel.querySelector("[data-step-" + name + "]");
    };
    var modeling = modeler.get("modeling");
    var chosen = null;

    function show(element) {
      var kind = kindOf(element);
      chosen = kind ? element : null;
      panel.hidden = !kind;
      if (!kind) {
        return;
      }
      panel.setAttribute("data-element", element.id);
      panel.setAttribute("data-kind", kind);
      field("kind").textContent = KIND_WORDS[kind];
      field("name").textContent = element.businessObject.name || element.id;
      Array.prototype.forEach.call(
        panel.querySelectorAll("[data-step-section]"),
        function (section) {
          section.hidden = section.getAttribute("data-step-section") !== kind;
        }
      );
      if (kind === "task") {
        showTask(element);
      } else if (kind === "script") {
        field("script").value = element.businessObject.script || "";
      } else if (kind === "condition") {
        var condition = element.businessObject.conditionExpression;
        field("condition").value = (condition && condition.body) || "";
        field("default").checked =
          element.source.businessObject.default === element.businessObject;
        // A default flow is taken when no condition holds: it has none.
        field("condition").disabled = field("default").checked;
      } else {
        var value = timerValue(timerOf(element));
        field("timer-kind").value = value.kind;
        field("timer").value = value.text;
      }
    }

    function showTask(task) {
      var form = field("form");
      var file = formOf(task);
      if (file && !form.querySelector('option[value="' + CSS.escape(file) + '"]')) {
        var missing = document.createElement("option");
        missing.value = file;
        missing.textContent = file + " (not in this version)";
        form.appendChild(missing);
      }
      form.value = file;
      field("instructions").value = textOf(
        task,
        "spiffworkflow:instructionsForEndUser"
      );
      field("prescript").value = textOf(task, "spiffworkflow:preScript");
      field("postscript").value = textOf(task, "spiffworkflow:postScript");
    }

    function onChange(name, apply) {
      field(name).addEventListener("change", function () {
        if (chosen) {
          apply(chosen, field(name));
        }
      });
    }

    modeler.get("eventBus").on("selection.changed", function (event) {
      var selected = event.newSelection || [];
      show(selected.length === 1 ? selected[0] : null);
    });
    onChange("form", function (task, input) {
      setForm(modeler, task, input.value);
    });
    onChange("instructions", function (task, input) {
      setText(modeler, task, "spiffworkflow:instructionsForEndUser", input.value);
    });
    onChange("prescript", function (task, input) {
      setText(modeler, task, "spiffworkflow:preScript", input.value);
    });
    onChange("postscript", function (task, input) {
      setText(modeler, task, "spiffworkflow:postScript", input.value);
    });
    onChange("script", function (task, input) {
      modeling.updateProperties(task, {
        script: input.value,
        scriptFormat: task.businessObject.scriptFormat || "python",
      });
    });
    onChange("condition", function (flow, input) {
      var text = input.value.trim();
      modeling.updateProperties(flow, {
        conditionExpression: text ? expression(modeler, text) : undefined,
      });
    });
    onChange("default", function (flow, input) {
      var gateway = flow.source;
      var isDefault = gateway.businessObject.default === flow.businessObject;
      if (input.checked && !isDefault) {
        // The default flow is the way out when no condition holds: it has none.
        modeling.updateProperties(flow, { conditionExpression: undefined });
        modeling.updateProperties(gateway, { default: flow.businessObject });
      } else if (!input.checked && isDefault) {
        modeling.updateProperties(gateway, { default: undefined });
      }
      show(flow);
    });
    ["timer-kind", "timer"].forEach(function (name) {
      onChange(name, function (event) {
        setTimer(modeler, event, field("timer-kind").value, field("timer").value);
      });
    });
  }

  var started = false;

  function startOnce(modeler) {
    if (!started) {
      started = true;
      start(modeler);
    }
  }

  // The modeler may be ready before this script runs (both load deferred).
  var box = document.querySelector("[data-modeler]");
  if (window.casepathModeler && box && box.getAttribute("data-ready") === "true") {
    startOnce(window.casepathModeler);
  }
  document.addEventListener("casepath:modeler-ready", function (event) {
    startOnce(event.detail);
  });
})();
