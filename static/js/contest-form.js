/* Inovasi Award — the contest form's slug, filled from the name as one types.
 * Loaded with defer on the contest form only; the form works without it (the slug
 * is then typed by hand, and the server checks it either way).
 *
 * The name input names its slug input: <input data-slug-source="id_slug">. The slug
 * follows the name until someone edits the slug itself, and on an existing contest
 * only while the slug still is the one the name gives (a slug chosen by hand is kept).
 */
(function () {
  "use strict";

  var MAX_LENGTH = 80;

  function slugify(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, MAX_LENGTH)
      .replace(/-+$/g, "");
  }

  function bind(source) {
    var target = document.getElementById(source.getAttribute("data-slug-source"));
    if (!target) return;
    var follows = target.value === "" || target.value === slugify(source.value);

    source.addEventListener("input", function () {
      if (follows) target.value = slugify(source.value);
    });
    target.addEventListener("input", function () {
      follows = target.value === "";
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-slug-source]"), bind);
})();
