// Passkeys on our pages: progressive enhancement of ordinary forms. A form marked
// data-passkey="create" | "get" | "discover" carries the WebAuthn options (JSON, from
// the server) in data-options, or (discover) fetches them; on submit the browser asks
// the authenticator, the answer goes into the hidden "credential" field, and the form is
// submitted as usual. Without JavaScript or WebAuthn the button stays hidden and the
// page's own words say which other sign-in methods work.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) {
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (el) {
      el.hidden = false;
    });
    return;
  }

  function fromB64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map(function (c) {
      var copy = Object.assign({}, c);
      copy.id = fromB64url(c.id);
      return copy;
    });
  }

  function creationOptions(json) {
    var o = Object.assign({}, json.publicKey);
    o.challenge = fromB64url(o.challenge);
    o.user = Object.assign({}, o.user, { id: fromB64url(o.user.id) });
    o.excludeCredentials = withIds(o.excludeCredentials);
    return { publicKey: o };
  }

  function requestOptions(json) {
    var o = Object.assign({}, json.publicKey);
    o.challenge = fromB64url(o.challenge);
    o.allowCredentials = withIds(o.allowCredentials);
    return { publicKey: o };
  }

  function credentialJson(cred) {
    var r = cred.response;
    var response = { clientDataJSON: toB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64url(r.attestationObject);
      if (r.getTransports) response.transports = r.getTransports();
    } else {
      response.authenticatorData = toB64url(r.authenticatorData);
      response.signature = toB64url(r.signature);
      if (r.userHandle) response.userHandle = toB64url(r.userHandle);
    }
    return JSON.stringify({
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      response: response,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
    });
  }

  function explain(error, kind) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "AbortError") {
      return say("sayPasskeyCancelled", "The passkey request was cancelled or timed out. Try again, or use another way to sign in.");
    }
    if (name === "InvalidStateError" && kind === "create") {
      return say("sayPasskeyExists", "This device already has a passkey for your account. Use it to sign in, or try another device or security key.");
    }
    if (name === "SecurityError") {
      return say("sayPasskeyWrongAddress", "Passkeys only work at this service's own address (" + document.body.dataset.passkeyOrigin + "). Open that address and try again.");
    }
    if (name === "NotSupportedError") {
      return say("sayPasskeyNotAccepted", "This device or security key can't make a passkey we accept. Try another one.");
    }
    return say("sayPasskeyFailed", "Your passkey didn't work this time. Try again, or use another way to sign in.");
  }

  // The page's words for what this script says (data-say-* on <body>, in the page's
  // language), with English if a page lacks one.
  function say(key, english) {
    return document.body.dataset[key] || english;
  }

  function ask(form) {
    var kind = form.dataset.passkey;
    if (kind === "create") {
      return Promise.resolve(null).then(function () {
        return navigator.credentials.create(creationOptions(JSON.parse(form.dataset.options)));
      });
    }
    if (kind === "get") {
      return navigator.credentials.get(requestOptions(JSON.parse(form.dataset.options)));
    }
    var lang = encodeURIComponent(document.documentElement.lang || "en");
    return fetch("/api/v1/sessions/passwordless?lang=" + lang, { method: "POST", credentials: "omit" })
      .then(function (answer) {
        return answer.json().then(function (body) {
          if (!answer.ok) throw { name: "ServerError", message: body.error && body.error.message };
          form.querySelector("input[name=challenge_id]").value = body.challenge_id;
          return navigator.credentials.get(requestOptions(body.options));
        });
      });
  }

  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    var button = form.querySelector("[data-passkey-button]");
    var status = form.querySelector("[data-passkey-status]");
    if (button) button.hidden = false;
    form.addEventListener("submit", function (event) {
      var field = form.querySelector("input[name=credential]");
      if (field.value) return;
      event.preventDefault();
      if (button) button.disabled = true;
      status.textContent = say("sayPasskeyFollowSteps", "Follow the steps on your device to use your passkey.");
      ask(form)
        .then(function (cred) {
          if (!cred) throw { name: "NotAllowedError" };
          field.value = credentialJson(cred);
          status.textContent = say("sayPasskeyChecking", "Checking your passkey…");
          form.submit();
        })
        .catch(function (error) {
          if (button) button.disabled = false;
          status.textContent = error && error.name === "ServerError" && error.message
            ? error.message
            : explain(error, form.dataset.passkey);
        });
    });
  });
})();
