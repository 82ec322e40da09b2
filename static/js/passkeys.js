// Passkeys (WebAuthn): the buttons of templates/accounts/partials/passkey_button.html.
//
// Each `[data-passkey]` box is one ceremony against livc/accounts/passkey_views.py: POST "begin"
// (the options, JSON), `navigator.credentials.create()` (mode "register") or `.get()` (the
// others), POST "complete" with the browser's answer. The server answers `{"redirect": url}` on
// success, `{"error": message}` (in the user's language) on refusal. The page's own texts come
// from the box's data-msg-* attributes: no message is written here.
//
// Without JavaScript the boxes stay hidden and the page's other ways (password, code) work.
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var padded = base64 + "===".slice((base64.length + 3) % 4);
    var binary = atob(padded);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function creationOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBytes(options.challenge);
    publicKey.user = Object.assign({}, options.user, { id: toBytes(options.user.id) });
    publicKey.excludeCredentials = descriptors(options.excludeCredentials);
    return publicKey;
  }

  function requestOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBytes(options.challenge);
    publicKey.allowCredentials = descriptors(options.allowCredentials);
    return publicKey;
  }

  function answerOf(credential) {
    var response = credential.response;
    var answer = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      answer.response.attestationObject = toBase64url(response.attestationObject);
      answer.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      answer.response.authenticatorData = toBase64url(response.authenticatorData);
      answer.response.signature = toBase64url(response.signature);
      if (response.userHandle) answer.response.userHandle = toBase64url(response.userHandle);
    }
    return answer;
  }

  function post(url, body, csrfToken) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(
        function (data) { return { ok: response.ok, data: data || {} }; },
        function () { return { ok: false, data: {} }; }
      );
    });
  }

  function setUp(box) {
    var button = box.querySelector("[data-passkey-start]");
    var error = box.querySelector("[data-passkey-error]");
    var status = box.querySelector("[data-passkey-status]");
    var csrf = box.querySelector("input[name=csrfmiddlewaretoken]");
    var messages = box.dataset;
    var registering = box.dataset.passkey === "register";

    function say(text) {
      error.textContent = text || "";
      error.hidden = !text;
      status.textContent = "";
    }

    function fail(text) {
      say(text || messages.msgFailed);
      button.disabled = false;
      button.focus();
    }

    function start() {
      say("");
      if (!window.PublicKeyCredential || !navigator.credentials) return fail(messages.msgUnsupported);
      var nameInput = box.dataset.nameField ? document.getElementById(box.dataset.nameField) : null;
      var beginBody = nameInput ? { name: nameInput.value } : {};
      button.disabled = true;
      status.textContent = messages.msgWaiting;
      post(box.dataset.beginUrl, beginBody, csrf.value)
        .then(function (begin) {
          if (!begin.ok) throw { server: begin.data.error };
          if (begin.data.redirect) return { data: begin.data };
          var ceremony = registering
            ? navigator.credentials.create({ publicKey: creationOptions(begin.data) })
            : navigator.credentials.get({ publicKey: requestOptions(begin.data) });
          return ceremony.then(function (credential) {
            return post(box.dataset.completeUrl, answerOf(credential), csrf.value);
          });
        })
        .then(function (done) {
          if (done.data.redirect) {
            window.location.assign(done.data.redirect);
            return;
          }
          throw { server: done.data.error };
        })
        .catch(function (problem) {
          var name = problem && problem.name;
          if (problem && "server" in problem) fail(problem.server);
          else if (name === "NotAllowedError" || name === "AbortError") fail(messages.msgCancelled);
          else if (name === "InvalidStateError" && registering) fail(messages.msgExists);
          else if (name === "NotSupportedError" || name === "SecurityError") fail(messages.msgUnsupported);
          else fail(messages.msgFailed);
        });
    }

    box.hidden = false;
    button.addEventListener("click", start);
    var nameField = box.dataset.nameField && document.getElementById(box.dataset.nameField);
    if (nameField && nameField.form) {
      nameField.form.addEventListener("submit", function (event) {
        event.preventDefault(); // Enter in the name field creates the passkey, it does not reload
        start();
      });
    }
  }

  document.querySelectorAll("[data-passkey]").forEach(setUp);
})();
