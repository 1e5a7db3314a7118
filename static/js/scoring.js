/* Inovasi Award — the scoring page's autosave (form[data-autosave], htmx).
 * Plain ES2017, loaded with defer after htmx and app.js; no inline script (CSP).
 *
 * htmx swaps only 2xx answers. The server answers a refused autosave with the status
 * partial and 400 (a value out of range, off the step, not a number) or 409 (the
 * stage closed, the sheet was submitted or changed elsewhere): those are swapped in
 * too, so the status area tells why nothing was saved and each refused value's
 * message appears at its field. Any other failure (500, 403, a network error, a
 * time-out) leaves the server's answer aside and writes the form's own message
 * (data-msg-server, data-msg-network) into the status area, replacing a previous
 * "Draft saved". Nothing the judge typed is ever replaced: the inputs stay as they
 * are; only the status area, the version field (after a save) and the error slots
 * change. After each swap, a score field whose slot holds a message is marked
 * aria-invalid and described by the slot; a field whose slot is empty is cleared.
 */
(function () {
  "use strict";

  var SLOT = "[data-autosave-error-for]";

  function autosaveForm(node) {
    if (!node || !node.closest) return null;
    return node.closest("form[data-autosave]");
  }

  function formOf(event) {
    var detail = event.detail || {};
    return autosaveForm(detail.elt) || autosaveForm(event.target);
  }

  function showFailure(form, text, status) {
    var box = document.getElementById("save-status");
    if (!box) return;
    box.setAttribute("data-save-state", "error");
    while (box.firstChild) box.removeChild(box.firstChild);
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    var paragraph = document.createElement("p");
    paragraph.textContent = status ? text + " (HTTP " + status + ")" : text;
    alert.appendChild(paragraph);
    box.appendChild(alert);
  }

  function describedBy(input) {
    return (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  }

  function markFields() {
    var saved = false;
    var box = document.getElementById("save-status");
    if (box && box.getAttribute("data-save-state") === "saved") saved = true;
    var slots = document.querySelectorAll(SLOT);
    Array.prototype.forEach.call(slots, function (slot) {
      var input = document.getElementById(slot.getAttribute("data-autosave-error-for"));
      if (!input) return;
      var field = input.closest(".form-field");
      var ids = describedBy(input).filter(function (id) {
        return id !== slot.id;
      });
      if (slot.textContent.trim()) {
        ids.push(slot.id);
        input.setAttribute("aria-invalid", "true");
        if (field) field.classList.add("has-error");
      } else {
        // The value was accepted: clear the mark (and, once saved, a message the
        // full page showed for it before).
        var old = document.getElementById(input.id + "_error");
        if (saved && old) {
          ids = ids.filter(function (id) {
            return id !== old.id;
          });
          old.remove();
        }
        if (!document.getElementById(input.id + "_error")) {
          input.removeAttribute("aria-invalid");
          if (field) field.classList.remove("has-error");
        }
      }
      if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
      else input.removeAttribute("aria-describedby");
    });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!formOf(event)) return;
    var xhr = event.detail.xhr;
    if (xhr && (xhr.status === 400 || xhr.status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var form = formOf(event);
    if (!form) return;
    var xhr = event.detail.xhr;
    showFailure(form, form.getAttribute("data-msg-server") || "Not saved.", xhr && xhr.status);
  });

  function networkFailure(event) {
    var form = formOf(event);
    if (!form) return;
    showFailure(form, form.getAttribute("data-msg-network") || "Not saved.", 0);
  }

  document.addEventListener("htmx:sendError", networkFailure);
  document.addEventListener("htmx:timeout", networkFailure);

  document.addEventListener("htmx:afterSettle", function () {
    if (document.querySelector("form[data-autosave]")) markFields();
  });
})();
