/*
 * Draws a case's process diagram in every element with a data-case-diagram
 * attribute, and marks the steps the case has done and the ones it waits at.
 *
 * Load it after /vendor/bpmn-js/bpmn-navigated-viewer.production.min.js, which
 * defines the global BpmnJS, and after diagram-load.js. The attribute's value
 * is a same-origin URL that answers JSON:
 * {"xml": "<BPMN 2.0 XML>", "completed": [ids], "current": [ids]}.
 *
 * When done, the element gets data-rendered="true", data-completed-count and
 * data-current-count (the elements marked, a current one counted only as
 * current) and data-warnings (import warnings). On failure it shows a short
 * message instead and gets data-rendered="error".
 */
(function () {
  "use strict";

  var COMPLETED = "cp-completed";
  var CURRENT = "cp-current";

  function ids(value) {
    if (!Array.isArray(value)) {
      return [];
    }
    return value.filter(function (id) {
      return typeof id === "string" && id !== "";
    });
  }

  var shared = window.CasepathDiagram;
  var WHAT = "diagram";

  function nameOf(registry, id) {
    var element = registry.get(id);
    var name = element && element.businessObject && element.businessObject.name;
    return name ? name.replace(/\s+/g, " ").trim() : id;
  }

  function markElements(viewer, data) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    var current = ids(data.current).filter(function (id) {
      return registry.get(id);
    });
    var completed = ids(data.completed).filter(function (id) {
      return registry.get(id) && current.indexOf(id) === -1;
    });
    completed.forEach(function (id) {
      canvas.addMarker(id, COMPLETED);
    });
    current.forEach(function (id) {
      canvas.addMarker(id, CURRENT);
    });
    return {
      completed: completed,
      current: current.map(function (id) {
        return nameOf(registry, id);
      }),
    };
  }

  function fillLegend(container) {
    var scope = container.parentElement || document;
    var legend =
      scope.querySelector("[data-diagram-legend]") ||
      document.querySelector("[data-diagram-legend]");
    if (!legend || legend.getAttribute("data-filled") === "true") {
      return;
    }
    legend.classList.add("cp-legend");
    [
      ["cp-swatch-completed", "done"],
      ["cp-swatch-current", "current"],
    ].forEach(function (entry) {
      var item = document.createElement("span");
      var swatch = document.createElement("span");
      item.className = "cp-legend-item";
      swatch.className = "cp-swatch " + entry[0];
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry[1]));
      legend.appendChild(item);
    });
    legend.setAttribute("data-filled", "true");
    legend.hidden = false;
  }

  function describe(container, marked) {
    var text = "Process diagram. Steps done: " + marked.completed.length + ".";
    if (marked.current.length) {
      text += " Now at: " + marked.current.join(", ") + ".";
    }
    container.setAttribute("role", "figure");
    container.setAttribute("aria-label", text);
  }

  function refitWhenResized(container, canvas) {
    // Fit again when the box changes size (a phone turned, a window resized),
    // unless the person has already panned or zoomed the diagram.
    var moved = false;
    var pending = null;
    ["pointerdown", "wheel", "touchstart"].forEach(function (type) {
      container.addEventListener(
        type,
        function () {
          moved = true;
        },
        { passive: true }
      );
    });
    if (typeof ResizeObserver !== "function") {
      return;
    }
    new ResizeObserver(function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        canvas.resized();
        if (!moved) {
          canvas.zoom("fit-viewport", "auto");
        }
      }, 150);
    }).observe(container);
  }

  function showError(container, error, viewer) {
    shared.showError(
      container,
      error,
      viewer,
      "The diagram could not be drawn.",
      "case diagram"
    );
  }

  function render(container) {
    if (container.hasAttribute("data-rendered")) {
      return Promise.resolve();
    }
    container.setAttribute("data-rendered", "loading");
    container.setAttribute("aria-busy", "true");
    if (typeof BpmnJS !== "function") {
      showError(
        container,
        shared.failure("The diagram viewer is missing, so the diagram cannot be shown.")
      );
      return Promise.resolve();
    }
    var viewer = null;
    return shared
      .load(container.getAttribute("data-case-diagram"), "application/json", WHAT)
      .then(function (response) {
        return shared.readJson(response, WHAT);
      })
      .then(function (data) {
        if (!data || typeof data.xml !== "string" || data.xml === "") {
          throw shared.failure("The diagram could not be read.");
        }
        container.replaceChildren();
        viewer = new BpmnJS({ container: container });
        return viewer.importXML(data.xml).then(
          function (result) {
            return { data: data, warnings: (result && result.warnings) || [] };
          },
          function (error) {
            throw Object.assign(error, {
              forPeople: "The diagram could not be drawn.",
            });
          }
        );
      })
      .then(function (imported) {
        var canvas = viewer.get("canvas");
        if (imported.warnings.length && window.console) {
          console.warn("case diagram: import warnings", imported.warnings);
        }
        canvas.zoom("fit-viewport", "auto");
        var marked = markElements(viewer, imported.data);
        describe(container, marked);
        refitWhenResized(container, canvas);
        fillLegend(container);
        container.setAttribute("data-completed-count", marked.completed.length);
        container.setAttribute("data-current-count", marked.current.length);
        container.setAttribute("data-warnings", imported.warnings.length);
        container.removeAttribute("aria-busy");
        container.setAttribute("data-rendered", "true");
      })
      .catch(function (error) {
        showError(container, error, viewer);
      });
  }

  shared.start("[data-case-diagram]", render);
})();
