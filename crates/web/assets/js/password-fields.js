// Progressive enhancement for password fields (every page works without it), served
// from /assets so the CSP needs no 'unsafe-inline':
// - a "Show password" button after every password field (ASVS 2.1.12);
// - a strength meter under every new-password field (ASVS 2.1.8), rated by the server
//   with the very checks the form will apply (POST /api/v1/passwords/strength).
(function () {
  "use strict";
  var fields = document.querySelectorAll('input[type="password"]');

  // The page's words for what this script says (data-say-* on <body>, in the page's
  // language), with English if a page lacks one.
  function say(key, english) {
    return document.body.dataset[key] || english;
  }

  function showButton(field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "usa-button usa-button--unstyled sa-show-password";
    button.setAttribute("aria-controls", field.id);
    button.setAttribute("aria-pressed", "false");
    button.textContent = say("sayShowPassword", "Show password");
    button.addEventListener("click", function () {
      var shown = field.type === "text";
      field.type = shown ? "password" : "text";
      button.setAttribute("aria-pressed", shown ? "false" : "true");
      button.textContent = shown
        ? say("sayShowPassword", "Show password")
        : say("sayHidePassword", "Hide password");
    });
    field.insertAdjacentElement("afterend", button);
    return button;
  }

  function valueOf(form, name) {
    var input = form && form.elements.namedItem(name);
    return input && typeof input.value === "string" ? input.value : "";
  }

  function strengthMeter(field, after) {
    var box = document.createElement("div");
    box.className = "sa-strength";
    var bar = document.createElement("meter");
    bar.min = 0;
    bar.max = 4;
    bar.low = 2;
    bar.high = 3;
    bar.optimum = 4;
    bar.value = 0;
    bar.id = field.id + "-strength-meter";
    bar.setAttribute("aria-label", say("sayPasswordStrength", "Password strength"));
    var text = document.createElement("p");
    text.className = "usa-hint sa-strength__text";
    text.id = field.id + "-strength";
    text.setAttribute("aria-live", "polite");
    box.appendChild(bar);
    box.appendChild(text);
    after.insertAdjacentElement("afterend", box);
    var timer = null;
    var asked = 0;
    function rate() {
      if (!field.value) {
        bar.value = 0;
        text.textContent = "";
        return;
      }
      var mine = ++asked;
      var lang = encodeURIComponent(document.documentElement.lang || "en");
      fetch("/api/v1/passwords/strength?lang=" + lang, {
        method: "POST",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          password: field.value,
          username: valueOf(field.form, "username"),
          email: valueOf(field.form, "email")
        })
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (rating) {
          if (!rating || mine !== asked) return;
          bar.value = rating.score;
          text.textContent = rating.acceptable
            ? (rating.score >= 4
              ? say("sayPasswordStrong", "Strong password.")
              : say("sayPasswordGood", "Good password."))
            : say("sayPasswordWeak", "Not strong enough yet:") + " " + rating.message;
        })
        .catch(function () { /* the form still checks it when sent */ });
    }
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(rate, 300);
    });
  }

  Array.prototype.forEach.call(fields, function (field) {
    var button = showButton(field);
    if (field.getAttribute("autocomplete") === "new-password") {
      strengthMeter(field, button);
    }
  });
  // Never leave a password visible: hide them all again when a form is sent.
  Array.prototype.forEach.call(document.forms, function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(fields, function (field) {
        field.type = "password";
      });
    });
  });
})();
