/*
 * Refuses an oversized file before it is sent: for each [data-max-file-size]
 * box, a file input inside it is marked invalid (so the form does not submit)
 * and a message says which file is too large. The server checks again.
 * Attributes: data-max-file-size (bytes, the server's own limit),
 * data-msg-too-large ("{name}", "{size}", "{max}" are replaced),
 * data-max-label (the limit as the page writes it).
 */
(function () {
  "use strict";

  function humanSize(bytes) {
    var units = ["B", "KB", "MB", "GB"];
    var value = bytes;
    var unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value = value / 1024;
      unit += 1;
    }
    return (unit === 0 ? String(value) : value.toFixed(1)) + " " + units[unit];
  }

  function check(box, input) {
    var limit = parseInt(box.getAttribute("data-max-file-size"), 10);
    var note = box.querySelector("[data-size-message]");
    if (!limit || !input.files) return;
    var messages = [];
    Array.prototype.forEach.call(input.files, function (file) {
      if (file.size > limit) {
        messages.push(
          (box.getAttribute("data-msg-too-large") || "{name}: {size} > {max}")
            .replace("{name}", file.name)
            .replace("{size}", humanSize(file.size))
            .replace("{max}", box.getAttribute("data-max-label") || humanSize(limit))
        );
      }
    });
    var text = messages.join(" ");
    input.setCustomValidity(text);
    if (note) {
      note.textContent = text;
      note.hidden = !text;
    }
  }

  function init() {
    var boxes = document.querySelectorAll("[data-max-file-size]");
    Array.prototype.forEach.call(boxes, function (box) {
      var inputs = box.querySelectorAll("input[type='file']");
      Array.prototype.forEach.call(inputs, function (input) {
        input.addEventListener("change", function () {
          check(box, input);
        });
        check(box, input);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
