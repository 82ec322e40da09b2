// The idle timeout, seen from the page (docs/adr/0007-session-expiry-drafts.md).
//
// - Warns before the session expires, in a dialog with "Stay logged in" (a POST that renews
//   the session) and "Log out". Any htmx request (the autosave too) renews the session on the
//   server and restarts the timer here. The server renews at most once every `renewal` seconds
//   (livc/accounts/renewal.py), so after a request the session may end up to that much before
//   the full timeout: the timer counts from that earlier end, and the server says the rest.
// - Before it warns or gives up, it asks the server how long is left (another tab may have
//   been active); that question does not renew the session.
// - When the session has expired (the timer, or a 401 from an htmx request), it keeps what
//   was typed into the page's POST forms in sessionStorage, under this page's path with the
//   user's id and the time, and opens the login page with ?next=<this page>&expired=1.
// - After logging in again, the same user gets it put back (less than an hour old), once:
//   the draft is deleted as it is read. A draft of anyone else is deleted unread.
//
// Without JavaScript the page still works: requests renew the session on the server, and a form
// posted after the expiry leads to the login page.
(function () {
  "use strict";

  var config = document.getElementById("session-timeout");
  var dialog = document.getElementById("session-warning");
  if (!config || !dialog || !window.fetch) return;

  var DRAFT_PREFIX = "livc:draft:";
  var DRAFT_MAX_AGE = 60 * 60 * 1000; // one hour
  var TEXT_TYPES = ["text", "email", "search", "tel", "url", "number", "date", "datetime-local",
    "time", "month", "week", "color", "range"];

  var timeout = Number(config.dataset.timeout) * 1000;
  var warning = Number(config.dataset.warning) * 1000;
  var renewal = Number(config.dataset.renewal || 0) * 1000;
  var user = config.dataset.user;
  var statusUrl = config.dataset.statusUrl;
  var loginUrl = config.dataset.loginUrl;
  var countdown = document.getElementById("session-countdown");
  var renewForm = document.getElementById("session-renew-form");

  var deadline = Date.now() + timeout - renewal; // this page's request renewed it, within `renewal`
  var asking = false;
  var lastAsked = 0;
  var expiring = false;

  // --- The timer -------------------------------------------------------------------------

  function renewedNow() {
    deadline = Date.now() + timeout - renewal; // the earliest the server may end it
    closeWarning();
  }

  function remainingFromServer(seconds) {
    deadline = Date.now() + seconds * 1000;
    if (seconds <= 0) {
      expire();
    } else if (seconds * 1000 <= warning + 1000) {
      openWarning();
    } else {
      closeWarning(); // renewed, in another tab for instance
    }
  }

  function askServer() {
    if (asking || expiring) return;
    asking = true;
    lastAsked = Date.now();
    nativeFetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (data) { remainingFromServer(Number(data.remaining) || 0); })
      .catch(function () {
        // No answer: warn by this page's own clock, keep the page as it is, and ask again soon.
        if (deadline - Date.now() <= warning) openWarning();
      })
      .then(function () { asking = false; });
  }

  function tick() {
    if (expiring) return;
    var now = Date.now();
    var left = deadline - now;
    if (dialog.open) showCountdown(left);
    // Time to warn, or to give up, or (while warning) to see whether another tab renewed:
    // the server says how long is left.
    if (left <= warning && now - lastAsked > (dialog.open && left > 0 ? 15000 : 2000)) askServer();
  }

  function showCountdown(left) {
    var seconds = Math.max(0, Math.ceil(left / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    countdown.textContent = minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // --- The warning -----------------------------------------------------------------------

  function openWarning() {
    if (dialog.open || expiring) return;
    showCountdown(deadline - Date.now());
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
  }

  function closeWarning() {
    if (!dialog.open) return;
    if (typeof dialog.close === "function") {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
    }
  }

  function stayLoggedIn() {
    nativeFetch(renewForm.action, {
      method: "POST",
      body: new FormData(renewForm),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    })
      .then(function (response) {
        if (response.status === 401) return expire();
        if (!response.ok) throw new Error("renew " + response.status); // the server says what is left
        return response.json().then(function (data) { remainingFromServer(Number(data.remaining) || 0); });
      })
      .catch(function () { askServer(); });
  }

  renewForm.addEventListener("submit", function (event) {
    event.preventDefault();
    closeWarning();
    stayLoggedIn();
  });
  // Escape closes the dialog: someone is there, so that counts as "stay logged in".
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    closeWarning();
    stayLoggedIn();
  });

  // --- Expiry ----------------------------------------------------------------------------

  function expire() {
    if (expiring) return;
    expiring = true;
    closeWarning();
    saveDraft();
    var next = location.pathname + location.search;
    var query = "?next=" + encodeURIComponent(next) + "&expired=1";
    location.assign(loginUrl + query);
  }

  // The draft is safe: no "unsaved changes" prompt of another script may hold the page.
  // (This file runs before the page's own scripts, so its listener comes first.)
  window.addEventListener("beforeunload", function (event) {
    if (expiring) event.stopImmediatePropagation();
  });

  // The server answers a script's request after the expiry with a 401 (and, for htmx, this
  // event); any other answer means the request has renewed the session.
  document.addEventListener("livc:session-expired", expire);
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (!xhr || xhr.status === 0) return; // not sent: no connection
    if (xhr.status === 401) {
      expire();
    } else {
      renewedNow();
    }
  });

  // The page's own scripts may send requests with fetch (the chairing screen's autosave
  // does): they count too. This file's own questions use the unwrapped fetch, so that asking
  // how long is left is not taken for activity.
  var nativeFetch = window.fetch ? window.fetch.bind(window) : null;

  function observe(response) {
    var url;
    try {
      url = new URL(response.url, location.href);
    } catch (error) {
      return;
    }
    if (url.origin !== location.origin) return;
    if (response.status === 401 || (response.redirected && url.pathname === loginUrl)) {
      expire();
    } else {
      renewedNow();
    }
  }

  if (nativeFetch) {
    window.fetch = function () {
      return nativeFetch.apply(null, arguments).then(function (response) {
        observe(response);
        return response;
      });
    };
  }

  // --- Drafts ----------------------------------------------------------------------------

  function storage() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null; // storage disabled
    }
  }

  function draftKey() {
    return DRAFT_PREFIX + location.pathname + location.search;
  }

  function excluded(element) {
    return Boolean(element.closest("[data-session-draft='off']"));
  }

  function postForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return (form.getAttribute("method") || "").toLowerCase() === "post" && !excluded(form);
    });
  }

  // A form is known by its id, or by its action and its place among forms with that action.
  function formKeys(forms) {
    var seen = {};
    return forms.map(function (form) {
      if (form.id) return "#" + form.id;
      var action = form.getAttribute("action") || form.getAttribute("hx-post") || "";
      seen[action] = (seen[action] || 0) + 1;
      return action + "|" + seen[action];
    });
  }

  function kept(element) {
    if (!element.name || element.name === "csrfmiddlewaretoken" || element.disabled) return false;
    if (excluded(element) || element.getAttribute("autocomplete") === "one-time-code") return false;
    var tag = element.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    if (tag !== "input") return false;
    var type = (element.getAttribute("type") || "text").toLowerCase();
    return type === "checkbox" || type === "radio" || TEXT_TYPES.indexOf(type) !== -1;
  }

  function defaultSelection(select) {
    var chosen = Array.prototype.filter.call(select.options, function (option) { return option.defaultSelected; });
    if (!chosen.length && !select.multiple && select.options.length) chosen = [select.options[0]];
    return chosen.map(function (option) { return option.value; });
  }

  function selection(select) {
    return Array.prototype.filter.call(select.options, function (option) { return option.selected; })
      .map(function (option) { return option.value; });
  }

  // What differs from what the page was served with: [{name, index, checked | value | values}].
  function changedFields(form) {
    var fields = [];
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) return;
      var index = seen[element.name] = (seen[element.name] || 0) + 1;
      var field = { name: element.name, index: index };
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked === element.defaultChecked) return;
        field.checked = element.checked;
      } else if (element.tagName.toLowerCase() === "select") {
        var now = selection(element);
        if (now.join("\n") === defaultSelection(element).join("\n")) return;
        field.values = now;
      } else {
        if (element.value === element.defaultValue) return;
        field.value = element.value;
      }
      fields.push(field);
    });
    return fields;
  }

  function saveDraft() {
    var store = storage();
    if (!store) return;
    var forms = postForms();
    var keys = formKeys(forms);
    var draft = [];
    forms.forEach(function (form, i) {
      var fields = changedFields(form);
      if (fields.length) draft.push({ form: keys[i], fields: fields });
    });
    if (!draft.length) return;
    try {
      store.setItem(draftKey(), JSON.stringify({ user: user, savedAt: Date.now(), forms: draft }));
    } catch (error) { /* storage full or refused: nothing more can be done */ }
  }

  function fieldElement(form, field) {
    var count = 0;
    var found = null;
    Array.prototype.some.call(form.elements, function (element) {
      if (element.name !== field.name || !kept(element)) return false;
      count += 1;
      if (count === field.index) found = element;
      return found !== null;
    });
    return found;
  }

  function fire(element) {
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function putBack(draft) {
    var forms = postForms();
    var keys = formKeys(forms);
    var restored = 0;
    draft.forms.forEach(function (saved) {
      var form = forms[keys.indexOf(saved.form)];
      if (!form) return;
      saved.fields.forEach(function (field) {
        var element = fieldElement(form, field);
        if (!element) return;
        if ("checked" in field) {
          element.checked = Boolean(field.checked);
        } else if ("values" in field) {
          Array.prototype.forEach.call(element.options, function (option) {
            option.selected = field.values.indexOf(option.value) !== -1;
          });
        } else {
          element.value = String(field.value);
        }
        fire(element);
        restored += 1;
      });
    });
    return restored;
  }

  function announceRestored() {
    var box = document.getElementById("session-restored");
    var main = document.getElementById("main");
    if (!box) return;
    if (main) main.insertBefore(box, main.firstChild);
    var item = document.createElement("p");
    item.className = "message message--info";
    item.textContent = config.dataset.restored;
    box.appendChild(item);
  }

  // Every draft in this tab that is not this user's, or too old, goes unread; this page's
  // draft is deleted as it is read and then put back.
  function restoreDraft() {
    var store = storage();
    if (!store) return;
    var mine = null;
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (!key || key.indexOf(DRAFT_PREFIX) !== 0) continue;
      var draft = null;
      try {
        draft = JSON.parse(store.getItem(key));
      } catch (error) { /* unreadable: deleted below */ }
      var usable = draft && draft.user === user && Date.now() - Number(draft.savedAt) < DRAFT_MAX_AGE;
      if (key === draftKey() && usable) mine = draft;
      if (key === draftKey() || !usable) store.removeItem(key);
    }
    if (mine && Array.isArray(mine.forms) && putBack(mine) > 0) announceRestored();
  }

  // After the page's own scripts (htmx sets up the autosave on DOMContentLoaded), so that
  // the input events put back start the autosave.
  if (document.readyState === "complete") {
    restoreDraft();
  } else {
    window.addEventListener("load", restoreDraft);
  }

  // --- Keeping time ------------------------------------------------------------------------

  // A one-second check rather than one long timeout: browsers slow timers in background tabs.
  window.setInterval(tick, 1000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") askServer();
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) askServer(); // back from the back-forward cache
  });
})();
