// The chairing screen: the minutes save themselves while the coordinator types, and nothing
// typed is lost. A click or a form sent elsewhere on the page first saves the pending minutes,
// then goes on; leaving the page with unsaved text asks first. Saves run one after another, so
// two never race with the same version. Without JavaScript the form posts and the page reloads.
(function () {
  "use strict";

  // htmx would copy style attributes when it settles a swap; the CSP refuses inline style.
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }

  var timer = null; // the pending automatic save
  var dirty = false; // typed since the last save was sent
  var queue = Promise.resolve(true); // the saves, one after the other
  var failed = false; // the last save did not go through
  var inflight = 0; // saves sent and not yet answered

  function minutesForm() {
    return document.querySelector("form.minutes-form");
  }

  function setStatus(text, className) {
    var status = document.getElementById("minutes-status");
    if (status) {
      status.textContent = text;
      status.className = "minutes-status" + (className ? " " + className : "");
    }
  }

  // Put the server's answer (meetings/partials/minutes_status.html) in place.
  function showAnswer(form, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var answer = template.content.getElementById("minutes-status");
    var status = document.getElementById("minutes-status");
    if (answer && status) {
      status.replaceWith(answer);
    }
    var version = template.content.querySelector("input[name=version]");
    if (version && form.elements.version) {
      form.elements.version.value = version.value;
    }
  }

  function send(form) {
    var offline = (document.getElementById("minutes-status") || {}).dataset || {};
    dirty = false;
    inflight += 1;
    setStatus(offline.saving || "", "");
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.text().then(function (html) {
          inflight -= 1;
          if (document.body.contains(form)) {
            showAnswer(form, html);
          }
          failed = !response.ok;
          if (failed) {
            dirty = true;
          }
          return response.ok;
        });
      })
      .catch(function () {
        inflight = Math.max(0, inflight - 1);
        failed = true;
        dirty = true;
        setStatus(offline.offline || "", "message message--warning");
        return false;
      });
  }

  // Save now (after any save already on its way); resolves to whether everything was saved.
  function flush() {
    var form = minutesForm();
    window.clearTimeout(timer);
    timer = null;
    if (!form) {
      return queue;
    }
    queue = queue.then(function () {
      return dirty ? send(form) : !failed;
    });
    return queue;
  }

  function pending() {
    return dirty || timer !== null || inflight > 0;
  }

  document.addEventListener("input", function (event) {
    var form = minutesForm();
    if (!form || !form.contains(event.target)) {
      return;
    }
    dirty = true;
    var unsaved = document.getElementById("minutes-status");
    if (unsaved && unsaved.dataset.unsaved) {
      setStatus(unsaved.dataset.unsaved, "");
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(flush, Number(form.dataset.autosave) || 1500);
  });

  // The minutes form's own Save button: save in place.
  // Any other form: save the minutes first, then send it as the user asked.
  document.addEventListener(
    "submit",
    function (event) {
      var form = minutesForm();
      if (!form) {
        return;
      }
      if (event.target === form) {
        event.preventDefault();
        dirty = true;
        flush();
        return;
      }
      if (!pending()) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      var other = event.target;
      var submitter = event.submitter || null;
      flush().then(function (saved) {
        if (saved) {
          if (submitter) {
            other.requestSubmit(submitter);
          } else {
            other.requestSubmit();
          }
        }
      });
    },
    true
  );

  // A link (the agenda on the left, the case file, the menu): save first, then follow it.
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || !minutesForm() || !pending() || event.defaultPrevented) {
        return;
      }
      if (link.target === "_blank" || link.getAttribute("href").charAt(0) === "#") {
        return; // the page stays: nothing to save first
      }
      event.preventDefault();
      event.stopPropagation();
      flush().then(function (saved) {
        if (saved) {
          link.click();
        }
      });
    },
    true
  );

  // Leaving the page (reload, closing the tab, the browser's back button) with unsaved text.
  window.addEventListener("beforeunload", function (event) {
    if (minutesForm() && (pending() || failed)) {
      flush();
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A new item swapped in by htmx starts with nothing pending.
  document.addEventListener("htmx:afterSwap", function () {
    dirty = false;
    failed = false;
    window.clearTimeout(timer);
    timer = null;
  });

  // An agenda link (htmx) that could not reach the server.
  document.addEventListener("htmx:sendError", function () {
    var status = document.getElementById("minutes-status");
    if (status) {
      setStatus(status.dataset.offline || "", "message message--warning");
    }
  });
})();
