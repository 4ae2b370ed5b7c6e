/*
 * The managers' process map: draws the current process version in the element
 * with a data-process-map attribute and lays two overlays over it.
 *
 * - "Open now": a badge on every activity where open cases wait, with how many
 *   and how many of them are overdue. Choosing a badge or clicking the activity
 *   lists its open cases in [data-map-cases].
 * - "History": every activity a case has completed, coloured by the median of
 *   each case's time there (the heat map), with a badge of how many cases
 *   passed through it.
 *
 * Load it after /vendor/bpmn-js/bpmn-navigated-viewer.production.min.js, which
 * defines the global BpmnJS, and after diagram-load.js. data-process-map is a
 * same-origin URL answering {"xml", "version", "activities": [{element, name, open, overdue, passed,
 * median, heat}], "heat_scale": [{level, label}]}; data-cases-url holds the
 * word ELEMENT where an activity's id goes and answers the HTML list of its
 * open cases. Buttons with data-mode inside [data-map-modes] switch overlays;
 * [data-map-legend] explains the one shown.
 *
 * When drawn, the box gets data-rendered="true", data-mode ("open" or
 * "history") and data-selected (the activity listed); each open badge
 * (button.cp-badge) carries data-element, data-open and data-overdue, each
 * history badge (.cp-passed) data-element, data-passed and data-heat. On
 * failure the box shows a short message and gets data-rendered="error".
 */
(function () {
  "use strict";

  var PLACEHOLDER = "ELEMENT";
  var SELECTED = "cp-selected";
  var WHAT = "process map";

  var shared = window.CasepathDiagram;

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function openBadge(activity, choose) {
    var badge = make("button", "cp-badge");
    var label =
      activity.name +
      ": " +
      plural(activity.open, "open case") +
      (activity.overdue ? ", " + activity.overdue + " overdue" : "") +
      ". Show them.";
    badge.type = "button";
    badge.setAttribute("data-element", activity.element);
    badge.setAttribute("data-open", activity.open);
    badge.setAttribute("data-overdue", activity.overdue);
    badge.setAttribute("aria-label", label);
    badge.title = label;
    badge.appendChild(make("span", "cp-badge-open", String(activity.open)));
    if (activity.overdue) {
      badge.appendChild(make("span", "cp-badge-overdue", String(activity.overdue)));
    }
    badge.addEventListener("click", function () {
      choose(activity.element, true);
    });
    return badge;
  }

  var UNITS = [
    [86400, "d"],
    [3600, "h"],
    [60, "min"],
  ];

  function rounded(value) {
    // As the table rounds (casework/process_map.py): whole from 10 on, else
    // one decimal without a trailing ".0".
    return value >= 10 ? String(Math.round(value)) : String(+value.toFixed(1));
  }

  function shortSpan(seconds) {
    // The badge's terse form of the median, in the unit the table uses: the
    // largest one it rounds to at least one of.
    if (seconds < 1) {
      return "<1 s";
    }
    for (var i = 0; i < UNITS.length; i += 1) {
      var text = rounded(seconds / UNITS[i][0]);
      if (Number(text) >= 1) {
        return text + " " + UNITS[i][1];
      }
    }
    return rounded(seconds) + " s";
  }

  function historyBadge(activity) {
    var badge = make("span", "cp-passed");
    badge.textContent =
      // Terse, so that neighbouring badges keep apart; the legend names the two.
      activity.passed + " · " + shortSpan(activity.median_seconds);
    badge.title =
      activity.name +
      ": " +
      plural(activity.passed, "case") +
      " passed through, completed " +
      plural(activity.completions, "time") +
      ", median time there " +
      activity.median;
    badge.setAttribute("data-element", activity.element);
    badge.setAttribute("data-passed", activity.passed);
    badge.setAttribute("data-heat", activity.heat);
    return badge;
  }

  function addOverlays(viewer, activities, choose) {
    var overlays = viewer.get("overlays");
    var canvas = viewer.get("canvas");
    // Badges keep a readable size when the whole diagram is fitted small; the
    // stylesheet centres each on the point given (whatever the zoom): the open
    // badge on the top right corner, the history badge on the bottom edge.
    var scale = { min: 1 };
    activities.forEach(function (activity) {
      canvas.addMarker(activity.element, "cp-activity");
      if (activity.open > 0) {
        overlays.add(activity.element, "cp-open", {
          position: { top: 0, right: 0 },
          scale: scale,
          html: openBadge(activity, choose),
        });
      }
      if (activity.passed > 0) {
        canvas.addMarker(activity.element, "cp-heat-" + activity.heat);
        overlays.add(activity.element, "cp-history", {
          position: { bottom: 0, left: activity.width / 2 },
          scale: scale,
          html: historyBadge(activity),
        });
      }
    });
  }

  function legendItem(swatchClass, text) {
    var item = make("span", "cp-legend-item");
    var swatch = make("span", "cp-swatch " + swatchClass);
    swatch.setAttribute("aria-hidden", "true");
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(text));
    return item;
  }

  function fillLegend(legend, mode, data) {
    if (!legend) {
      return;
    }
    legend.className = "cp-legend cp-map-legend";
    legend.replaceChildren();
    if (mode === "open") {
      legend.appendChild(make("span", "cp-legend-title", "Badges:"));
      legend.appendChild(legendItem("cp-swatch-open", "open cases waiting there"));
      legend.appendChild(
        legendItem(
          "cp-swatch-overdue",
          "of them overdue (past their service-level target)"
        )
      );
    } else {
      legend.appendChild(make("span", "cp-legend-title", "Median time there:"));
      data.heat_scale.forEach(function (step) {
        legend.appendChild(legendItem("cp-heat-swatch-" + step.level, step.label));
      });
      legend.appendChild(legendItem("cp-heat-swatch-0", "not completed yet"));
      legend.appendChild(
        make("span", "cp-legend-note", "Badges: cases passed · median time there.")
      );
    }
    legend.hidden = false;
  }

  function describe(container, data, mode) {
    var here = data.activities.filter(function (activity) {
      return activity.open > 0;
    });
    var open = 0;
    var overdue = 0;
    here.forEach(function (activity) {
      open += activity.open;
      overdue += activity.overdue;
    });
    var text =
      "Process map of version " +
      data.version +
      ": " +
      plural(open, "open case") +
      " at " +
      here.length +
      (here.length === 1 ? " activity" : " activities") +
      ", " +
      overdue +
      " overdue. ";
    text +=
      mode === "history"
        ? "Showing the history: activities coloured by median time there."
        : "Showing open cases now.";
    container.setAttribute("role", "figure");
    container.setAttribute("aria-label", text + " The table below has every figure.");
  }

  function setUpModes(container, data) {
    var group = document.querySelector("[data-map-modes]");
    var legend = document.querySelector("[data-map-legend]");
    var buttons = group ? group.querySelectorAll("button[data-mode]") : [];

    function show(mode) {
      container.setAttribute("data-mode", mode);
      Array.prototype.forEach.call(buttons, function (button) {
        var pressed = button.getAttribute("data-mode") === mode;
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
      fillLegend(legend, mode, data);
      describe(container, data, mode);
    }

    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        show(button.getAttribute("data-mode"));
      });
    });
    if (group) {
      group.hidden = false;
    }
    show("open");
  }

  function caseLister(container, viewer, known) {
    var panel = document.querySelector("[data-map-cases]");
    var canvas = viewer.get("canvas");
    var template = container.getAttribute("data-cases-url") || "";
    var asked = 0;

    function mark(element) {
      var previous = container.getAttribute("data-selected");
      if (previous && viewer.get("elementRegistry").get(previous)) {
        canvas.removeMarker(previous, SELECTED);
      }
      if (viewer.get("elementRegistry").get(element)) {
        canvas.addMarker(element, SELECTED);
      }
      container.setAttribute("data-selected", element);
    }

    function markTableRow(element) {
      var rows = document.querySelectorAll("[data-activities] tbody tr");
      Array.prototype.forEach.call(rows, function (row) {
        var chosen = row.getAttribute("data-element") === element;
        var link = row.querySelector("a");
        row.classList.toggle("cp-chosen", chosen);
        if (link && chosen) {
          link.setAttribute("aria-current", "true");
        } else if (link) {
          link.removeAttribute("aria-current");
        }
      });
    }

    function choose(element, moveFocus) {
      if (!panel || !known[element]) {
        return;
      }
      var ticket = ++asked;
      var url = template.replace(PLACEHOLDER, encodeURIComponent(element));
      mark(element);
      markTableRow(element);
      panel.setAttribute("aria-busy", "true");
      shared.load(url, "text/html", "list of cases")
        .then(function (response) {
          return response.text();
        })
        .then(
          function (html) {
            if (ticket !== asked) {
              return; // a later choice is on its way
            }
            panel.innerHTML = html;
            panel.setAttribute("data-element", element);
            if (window.history && history.replaceState) {
              history.replaceState(null, "", "?element=" + encodeURIComponent(element));
            }
          },
          function (error) {
            if (ticket !== asked) {
              return;
            }
            var message = error.forPeople || "The cases could not be listed.";
            panel.replaceChildren(make("p", "cp-diagram-error", message));
          }
        )
        .then(function () {
          if (ticket !== asked) {
            return;
          }
          panel.removeAttribute("aria-busy");
          var heading = panel.querySelector("h2");
          if (moveFocus && heading) {
            heading.focus({ preventScroll: true });
          }
          panel.scrollIntoView({ block: "nearest" });
        });
    }

    viewer.get("eventBus").on("element.click", function (event) {
      choose(event.element.id, false);
    });
    var already = container.getAttribute("data-selected");
    if (already) {
      mark(already);
    }
    return choose;
  }

  function showError(container, error, viewer) {
    shared.showError(
      container,
      error,
      viewer,
      "The process map could not be drawn.",
      "process map"
    );
  }

  function fitBox(container, canvas) {
    // The process is wide and flat: size the box to the drawing's shape, so a
    // fitted diagram fills it instead of floating in empty space.
    canvas.zoom("fit-viewport", "auto");
    var drawing = canvas.viewbox().inner;
    if (drawing.width > 0) {
      var wanted = (container.clientWidth * drawing.height) / drawing.width + 48;
      var least = 240;
      var most = Math.max(least, window.innerHeight * 0.75);
      var height = Math.min(Math.max(wanted, least), most);
      container.style.height = Math.round(height) + "px";
      canvas.resized();
      canvas.zoom("fit-viewport", "auto");
    }
  }

  function refitWhenResized(container, canvas) {
    // Fit again when the window changes width, unless the person has already
    // panned or zoomed the diagram.
    var moved = false;
    var pending = null;
    var width = container.clientWidth;
    ["pointerdown", "wheel", "touchstart"].forEach(function (type) {
      container.addEventListener(
        type,
        function () {
          moved = true;
        },
        { passive: true }
      );
    });
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        if (!moved && container.clientWidth !== width) {
          width = container.clientWidth;
          fitBox(container, canvas);
        }
      }, 150);
    });
  }

  function draw(viewer, container, data) {
    var registry = viewer.get("elementRegistry");
    var canvas = viewer.get("canvas");
    var known = {};
    var onDiagram = [];
    data.activities.forEach(function (activity) {
      var shape = registry.get(activity.element);
      known[activity.element] = true;
      if (shape) {
        onDiagram.push(Object.assign({ width: shape.width }, activity));
      }
    });
    fitBox(container, canvas);
    refitWhenResized(container, canvas);
    var choose = caseLister(container, viewer, known);
    addOverlays(viewer, onDiagram, choose);
    setUpModes(container, data);
    var badges = onDiagram.filter(function (activity) {
      return activity.open > 0;
    });
    container.setAttribute("data-badges", badges.length);
    container.removeAttribute("aria-busy");
    container.setAttribute("data-rendered", "true");
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
        shared.failure("The diagram viewer is missing, so the map cannot be shown.")
      );
      return Promise.resolve();
    }
    var viewer = null;
    return shared
      .load(container.getAttribute("data-process-map"), "application/json", WHAT)
      .then(function (response) {
        return shared.readJson(response, WHAT);
      })
      .then(function (data) {
        if (!data || typeof data.xml !== "string" || !Array.isArray(data.activities)) {
          throw shared.failure("The process map could not be read.");
        }
        container.replaceChildren();
        viewer = new BpmnJS({ container: container });
        return viewer.importXML(data.xml).then(
          function () {
            draw(viewer, container, data);
          },
          function (error) {
            throw Object.assign(error, {
              forPeople: "The diagram could not be drawn.",
            });
          }
        );
      })
      .catch(function (error) {
        showError(container, error, viewer);
      });
  }

  shared.start("[data-process-map]", render);
})();
