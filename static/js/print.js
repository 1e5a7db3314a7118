/* A [data-print] button prints the page (shown only when scripts run). */
(function () {
  "use strict";
  function init() {
    var buttons = document.querySelectorAll("[data-print]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
