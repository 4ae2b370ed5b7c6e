/*
 * The process modeler: opens the current version's diagram in bpmn-js's
 * Modeler and saves it as a new version.
 *
 * Load it after /vendor/bpmn-js/bpmn-modeler.production.min.js, which defines
 * the global BpmnJS (the Modeler). The page holds:
 *   - [data-modeler] with data-save-url, a same-origin URL taking POST
 *     {"xml", "note", "base_version"} with the X-CSRFToken header, answering
 *     201 {"number"} or {"error": {"code", "message", "problems"?: [{"element",
 *     "message"}]}}; code "outdated" when another version is current than
 *     base_version (saving again without it puts the edits over that);
 *   - script#modeler-diagram, JSON {"xml", "version"};
 *   - [data-modeler-status], [data-modeler-problems] and form[data-modeler-save].
 *
 * When drawn, [data-modeler] gets data-ready="true" (or "error"), the
 * modeler is window.casepathModeler and the document gets the event
 * "casepath:modeler-ready" with the modeler as its detail. After a save, the status says the new
 * version number and [data-modeler] gets data-saved-version; a refusal lists
 * the problems and marks the elements they name, keeping every edit.
 */
(function () {
  "use strict";

  var PROBLEM = "cp-problem";

  function readDiagram() {
    var holder = document.getElementById("modeler-diagram");
    try {
      return JSON.parse(holder.textContent);
    } catch (error) {
      return null;
    }
  }

  function setStatus(status, text, failed) {
    status.textContent = text;
    status.classList.toggle("failed", Boolean(failed));
  }

  function clearMarks(modeler, marked) {
    var canvas = modeler.get("canvas");
    var registry = modeler.get("elementRegistry");
    marked.splice(0).forEach(function (id) {
      // The person may have deleted a marked element since the refusal.
      if (registry.get(id)) {
        canvas.removeMarker(id, PROBLEM);
      }
    });
  }

  function showElement(modeler, id) {
    var element = modeler.get("elementRegistry").get(id);
    if (!element) {
      return;
    }
    modeler.get("canvas").scrollToElement(element);
    modeler.get("selection").select(element);
  }

  function listProblems(modeler, box, problems, marked) {
    var list = box.querySelector("ul");
    var registry = modeler.get("elementRegistry");
    var canvas = modeler.get("canvas");
    clearMarks(modeler, marked);
    list.replaceChildren();
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var element = document.createElement("code");
      item.setAttribute("data-element", problem.element);
      element.textContent = problem.element;
      item.appendChild(element);
      item.appendChild(document.createTextNode(": " + problem.message));
      if (registry.get(problem.element)) {
        canvas.addMarker(problem.element, PROBLEM);
        marked.push(problem.element);
        var show = document.createElement("button");
        show.type = "button";
        show.className = "link";
        show.textContent = "Show in the diagram";
        show.addEventListener("click", function () {
          showElement(modeler, problem.element);
        });
        item.appendChild(show);
      }
      list.appendChild(item);
    });
    box.hidden = problems.length === 0;
    if (problems.length) {
      box.focus();
    }
  }

  function post(url, token, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": token,
      },
      body: JSON.stringify(body),
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
      if (!json) {
        // A signed-out session is sent to the sign-in page, which is HTML.
        return { status: response.status, body: null };
      }
      return response.json().then(function (data) {
        return { status: response.status, body: data };
      });
    });
  }

  function failureText(answer) {
    var error = answer.body && answer.body.error;
    if (error && error.message) {
      return "Not saved: " + error.message + ".";
    }
    if (answer.status === 200 || answer.status === 302) {
      return "Not saved: your session has ended. Sign in again in another tab, then save again.";
    }
    return "Not saved: the service answered with error " + answer.status + ".";
  }

  function wireSave(modeler, container, form) {
    var status = document.querySelector("[data-modeler-status]");
    var problemsBox = document.querySelector("[data-modeler-problems]");
    var button = form.querySelector("button[type=submit]");
    var token = form.querySelector("input[name=csrf_token]").value;
    var marked = [];
    // The version the edits start from; a save is refused while another
    // version has been made current since, until the person saves again.
    var base = readDiagram().version;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      setStatus(status, "Checking and saving…");
      modeler
        .saveXML({ format: true })
        .then(function (result) {
          return post(container.getAttribute("data-save-url"), token, {
            xml: result.xml,
            note: form.elements.note.value,
            base_version: base,
          });
        })
        .then(function (answer) {
          if (answer.status === 201 && answer.body) {
            var number = answer.body.number;
            base = number;
            listProblems(modeler, problemsBox, [], marked);
            setStatus(
              status,
              "Saved as version " + number + ". New cases start on it."
            );
            container.setAttribute("data-saved-version", String(number));
            document.querySelectorAll("[data-base-version]").forEach(function (el) {
              el.textContent = String(number);
            });
            form.elements.note.value = "";
            return;
          }
          var error = (answer.body && answer.body.error) || {};
          if (error.code === "outdated") {
            base = null;
            setStatus(
              status,
              "Not saved: " + error.message + ". Save again to put your edits " +
                "over it, or reload the page to start from the current version.",
              true
            );
            return;
          }
          var problems = error.problems || [];
          listProblems(modeler, problemsBox, problems, marked);
          setStatus(status, failureText(answer), true);
        })
        .catch(function (error) {
          setStatus(
            status,
            "Not saved: the service could not be reached. Your changes are still here; try again.",
            true
          );
          if (window.console) {
            console.error("modeler save:", error);
          }
        })
        .then(function () {
          button.disabled = false;
        });
    });
  }

  // The process is wide: fitted whole into the page its labels are too small
  // to read or edit. It opens at a readable zoom instead, its start on the left,
  // clear of the palette; the rest is a pan or a scroll away.
  var READABLE_ZOOM = 0.75;
  var PALETTE_MARGIN = 130;

  function openReadable(canvas) {
    canvas.zoom("fit-viewport", "auto");
    if (canvas.zoom() >= READABLE_ZOOM) {
      return;
    }
    var inner = canvas.viewbox().inner;
    var outer = canvas.viewbox().outer;
    canvas.viewbox({
      x: inner.x - PALETTE_MARGIN / READABLE_ZOOM,
      y: inner.y - 20 / READABLE_ZOOM,
      width: outer.width / READABLE_ZOOM,
      height: outer.height / READABLE_ZOOM,
    });
  }

  function start() {
    var container = document.querySelector("[data-modeler]");
    var form = document.querySelector("form[data-modeler-save]");
    var diagram = readDiagram();
    if (!container || !form) {
      return;
    }
    if (typeof BpmnJS !== "function" || !diagram || !diagram.xml) {
      container.textContent = "The modeler could not be loaded.";
      container.setAttribute("data-ready", "error");
      form.hidden = true;
      return;
    }
    var modeler = new BpmnJS({ container: container });
    window.casepathModeler = modeler;
    modeler
      .importXML(diagram.xml)
      .then(function (result) {
        if (result.warnings.length && window.console) {
          console.warn("modeler: import warnings", result.warnings);
        }
        openReadable(modeler.get("canvas"));
        container.setAttribute("data-warnings", String(result.warnings.length));
        container.setAttribute("data-ready", "true");
        wireSave(modeler, container, form);
        document.dispatchEvent(
          new CustomEvent("casepath:modeler-ready", { detail: modeler })
        );
      })
      .catch(function (error) {
        container.textContent = "The diagram could not be opened in the modeler.";
        container.setAttribute("data-ready", "error");
        form.hidden = true;
        if (window.console) {
          console.error("modeler:", error);
        }
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
