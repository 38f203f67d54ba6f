// Progressive enhancement (the pages work without it): a "Show password" button after
// every password field, so a person can check what they typed (ASVS 2.1.12). Served from
// /assets, so the CSP needs no 'unsafe-inline'.
(function () {
  "use strict";
  var fields = document.querySelectorAll('input[type="password"]');
  Array.prototype.forEach.call(fields, function (field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "usa-button usa-button--unstyled sa-show-password";
    button.setAttribute("aria-controls", field.id);
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Show password";
    button.addEventListener("click", function () {
      var shown = field.type === "text";
      field.type = shown ? "password" : "text";
      button.setAttribute("aria-pressed", shown ? "false" : "true");
      button.textContent = shown ? "Show password" : "Hide password";
    });
    field.insertAdjacentElement("afterend", button);
  });
  // Never send or leave a password visible: hide them all again when a form is sent.
  Array.prototype.forEach.call(document.forms, function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(fields, function (field) {
        field.type = "password";
      });
    });
  });
})();
