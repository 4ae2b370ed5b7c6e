/*
 * What the pages that draw a diagram with bpmn-js share: fetching what they
 * draw, saying in plain words why it failed, and drawing once the page is read.
 *
 * Load it before case-diagram.js or process-map.js; it defines the global
 * CasepathDiagram with:
 * - failure(message): an Error whose message is meant for people (forPeople);
 * - load(url, accept, what): a same-origin fetch that resolves to the response
 *   when it is ok, and otherwise fails with a message naming `what`;
 * - readJson(response, what): the response's JSON, or a failure saying `what`
 *   could not be read;
 * - showError(container, error, viewer, fallback, logName): replaces the
 *   drawing with the error's message (or `fallback`), marks the container
 *   data-rendered="error" and logs the error under `logName`;
 * - start(selector, render): calls render(element) for every element matching
 *   `selector` once the document is parsed.
 */
(function () {
  "use strict";

  function failure(message) {
    var error = new Error(message);
    error.forPeople = message;
    return error;
  }

  function load(url, accept, what) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: accept },
    }).then(
      function (response) {
        if (response.status === 401 || response.status === 403) {
          throw failure("You are not allowed to see the " + what + ".");
        }
        if (response.status === 404) {
          throw failure("The " + what + " was not found; reload the page.");
        }
        if (!response.ok) {
          throw failure(
            "The " + what + " could not be loaded (error " + response.status + ")."
          );
        }
        return response;
      },
      function () {
        throw failure(
          "The " +
            what +
            " could not be loaded. Check your connection and reload the page."
        );
      }
    );
  }

  function readJson(response, what) {
    return response.json().then(null, function () {
      throw failure("The " + what + " could not be read.");
    });
  }

  function showError(container, error, viewer, fallback, logName) {
    if (viewer) {
      viewer.destroy();
    }
    var message = document.createElement("p");
    message.className = "cp-diagram-error";
    message.textContent = (error && error.forPeople) || fallback;
    container.replaceChildren(message);
    container.removeAttribute("aria-busy");
    container.setAttribute("data-rendered", "error");
    if (window.console) {
      console.error(logName + ":", error);
    }
  }

  function start(selector, render) {
    function renderAll() {
      Array.prototype.forEach.call(document.querySelectorAll(selector), render);
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", renderAll);
    } else {
      renderAll();
    }
  }

  window.CasepathDiagram = {
    failure: failure,
    load: load,
    readJson: readJson,
    showError: showError,
    start: start,
  };
})();
