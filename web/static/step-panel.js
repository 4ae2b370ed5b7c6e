/*
 * The modeler's step panel: for the user task selected in the modeler, the
 * form people fill in and the instructions they read, as the process keeps
 * them (spiffworkflow:property "formJsonSchemaFilename" and
 * spiffworkflow:instructionsForEndUser in the task's extension elements).
 *
 * Load it after modeler.js. The page holds [data-step-panel] with a heading
 * [data-step-name], select[data-step-form] listing the version's forms and
 * textarea[data-step-instructions]; it starts when modeler.js announces the
 * modeler with the document event "casepath:modeler-ready", or at once when
 * the modeler was ready first.
 */
(function () {
  "use strict";

  var SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core";
  var FORM = "formJsonSchemaFilename";

  function extensions(modeler, task) {
    var holder = task.businessObject.extensionElements;
    if (!holder) {
      holder = modeler.get("moddle").create("bpmn:ExtensionElements", {
        values: [],
      });
      holder.$parent = task.businessObject;
      modeler
        .get("modeling")
        .updateProperties(task, { extensionElements: holder });
    }
    holder.values = holder.values || [];
    return holder;
  }

  function child(holder, type) {
    return holder.values.find(function (value) {
      return value.$type === type;
    });
  }

  function formOf(task) {
    var holder = task.businessObject.extensionElements;
    var properties = holder && child(holder, "spiffworkflow:properties");
    var found = ((properties && properties.$children) || []).find(function (p) {
      return p.name === FORM;
    });
    return found ? found.value : "";
  }

  function instructionsOf(task) {
    var holder = task.businessObject.extensionElements;
    var text = holder && child(holder, "spiffworkflow:instructionsForEndUser");
    return (text && text.$body) || "";
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

  function setInstructions(modeler, task, text) {
    var moddle = modeler.get("moddle");
    var holder = extensions(modeler, task);
    var kept = holder.values.filter(function (value) {
      return value.$type !== "spiffworkflow:instructionsForEndUser";
    });
    if (text.trim()) {
      var element = moddle.createAny(
        "spiffworkflow:instructionsForEndUser",
        SPIFF,
        { $body: text }
      );
      element.$parent = holder;
      kept.push(element);
    }
    modeler
      .get("modeling")
      .updateModdleProperties(task, holder, { values: kept });
  }

  function start(modeler) {
    var panel = document.querySelector("[data-step-panel]");
    if (!panel) {
      return;
    }
    var name = panel.querySelector("[data-step-name]");
    var form = panel.querySelector("[data-step-form]");
    var instructions = panel.querySelector("[data-step-instructions]");
    var chosen = null;

    function show(task) {
      chosen = task;
      panel.hidden = !task;
      if (!task) {
        return;
      }
      name.textContent = task.businessObject.name || task.id;
      panel.setAttribute("data-element", task.id);
      var file = formOf(task);
      if (file && !form.querySelector('option[value="' + CSS.escape(file) + '"]')) {
        var missing = document.createElement("option");
        missing.value = file;
        missing.textContent = file + " (not in this version)";
        form.appendChild(missing);
      }
      form.value = file;
      instructions.value = instructionsOf(task);
    }

    modeler.get("eventBus").on("selection.changed", function (event) {
      var selected = event.newSelection || [];
      var task =
        selected.length === 1 && selected[0].type === "bpmn:UserTask"
          ? selected[0]
          : null;
      show(task);
    });
    form.addEventListener("change", function () {
      if (chosen) {
        setForm(modeler, chosen, form.value);
      }
    });
    instructions.addEventListener("change", function () {
      if (chosen) {
        setInstructions(modeler, chosen, instructions.value);
      }
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
