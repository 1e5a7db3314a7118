/* Inovasi Award — small progressive enhancements. Plain ES2017, loaded with defer.
 * Every page works without this file; it only adds:
 *  - the collapsible menu on small screens ([data-nav-toggle])
 *  - toasts that can be dismissed and hide themselves ([data-toast])
 *  - confirmation before submitting (form[data-confirm] or a submit button [data-confirm])
 *  - auto-submit of the language select (select[data-autosubmit])
 *  - upload progress for form[data-upload-progress] (XMLHttpRequest + <progress data-progress-target>)
 */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var TOAST_DELAY = 6000;
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function message(name, fallback) {
    var value = document.body && document.body.getAttribute("data-msg-" + name);
    return value || fallback;
  }

  /* ---------- Navigation toggle ---------- */
  function initNav() {
    var button = document.querySelector("[data-nav-toggle]");
    if (!button) return;
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    button.hidden = false;

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }

    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  /* ---------- Toasts ---------- */
  function dismissToast(toast) {
    if (!toast.isConnected) return;
    var remove = function () {
      if (toast.isConnected) toast.remove();
    };
    if (reducedMotion) {
      remove();
      return;
    }
    toast.classList.add("is-hiding");
    toast.addEventListener("transitionend", remove, { once: true });
    window.setTimeout(remove, 500);
  }

  function initToasts(scope) {
    var toasts = (scope || document).querySelectorAll("[data-toast]");
    Array.prototype.forEach.call(toasts, function (toast) {
      if (toast.hasAttribute("data-toast-ready")) return;
      toast.setAttribute("data-toast-ready", "");

      var close = toast.querySelector("[data-toast-close]");
      if (close) {
        close.hidden = false;
        close.addEventListener("click", function () {
          dismissToast(toast);
        });
      }

      // Errors and warnings stay until dismissed; the others hide after a while,
      // but not while the pointer or the keyboard focus is on them.
      if (toast.classList.contains("toast-error") || toast.classList.contains("toast-warning")) return;
      var timer = null;
      var start = function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          dismissToast(toast);
        }, TOAST_DELAY);
      };
      var stop = function () {
        window.clearTimeout(timer);
      };
      toast.addEventListener("mouseenter", stop);
      toast.addEventListener("mouseleave", start);
      toast.addEventListener("focusin", stop);
      toast.addEventListener("focusout", start);
      start();
    });
  }

  /* ---------- Confirmation before submit ---------- */
  function confirmText(form, submitter) {
    if (submitter && submitter.hasAttribute("data-confirm")) return submitter.getAttribute("data-confirm");
    return form.getAttribute("data-confirm");
  }

  // Capture phase on document: runs before htmx's and the upload helper's listeners.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var text = confirmText(form, event.submitter);
      if (text && !window.confirm(text)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  /* ---------- Language select ---------- */
  function initAutosubmit(scope) {
    var selects = (scope || document).querySelectorAll("select[data-autosubmit]");
    Array.prototype.forEach.call(selects, function (select) {
      if (select.hasAttribute("data-autosubmit-ready")) return;
      select.setAttribute("data-autosubmit-ready", "");
      select.addEventListener("change", function () {
        var form = select.form;
        if (!form) return;
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.submit();
      });
    });
  }

  /* ---------- Upload progress ---------- */
  function replaceDocument(html, url) {
    if (url && url !== window.location.href) {
      window.history.pushState({ uploadReplaced: true }, "", url);
    }
    document.open();
    document.write(html);
    document.close();
  }

  // After a replaced document, going back must load the previous page for real.
  window.addEventListener("popstate", function () {
    if (root.hasAttribute("data-upload-replaced") || (window.history.state && window.history.state.uploadReplaced)) {
      window.location.reload();
    }
  });

  function setBusy(form, busy) {
    var buttons = form.querySelectorAll("button, input[type='submit']");
    Array.prototype.forEach.call(buttons, function (button) {
      button.disabled = busy;
    });
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function submitWithProgress(form, submitter) {
    var progress = form.querySelector("[data-progress-target]");
    var box = form.querySelector("[data-progress-box]");
    var status = form.querySelector("[data-progress-status]");
    var url = form.getAttribute("action") || window.location.href;
    var method = (form.getAttribute("method") || "post").toUpperCase();
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);

    if (box) box.hidden = false;
    if (progress) {
      progress.hidden = false;
      progress.value = 0;
      progress.max = 100;
    }
    if (status) status.textContent = message("uploading", "Uploading…");
    setBusy(form, true);

    var xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.upload.addEventListener("progress", function (event) {
      if (!progress || !event.lengthComputable) return;
      progress.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.upload.addEventListener("load", function () {
      if (progress) progress.value = 100;
      if (status) status.textContent = message("processing", "Upload complete, processing…");
    });

    function fail() {
      setBusy(form, false);
      if (progress) progress.value = 0;
      if (status) status.textContent = message("upload-failed", "The upload failed. Check your connection and try again.");
    }

    xhr.addEventListener("load", function () {
      var ok = xhr.status >= 200 && xhr.status < 300;
      var clientError = xhr.status >= 400 && xhr.status < 500;
      var isHtml = /text\/html/.test(xhr.getResponseHeader("Content-Type") || "");
      if (ok && xhr.responseURL && xhr.responseURL !== new URL(url, window.location.href).href) {
        // The server redirected (the usual success); the XHR already followed it, so show
        // that page as it was answered (it carries the flash messages) under its own URL.
        if (isHtml) replaceDocument(xhr.responseText, xhr.responseURL);
        else window.location.assign(xhr.responseURL);
      } else if ((ok || clientError) && isHtml) {
        // Re-rendered form with inline errors (or a page answered directly).
        replaceDocument(xhr.responseText, null);
      } else {
        fail();
      }
    });
    xhr.addEventListener("error", fail);
    xhr.addEventListener("abort", fail);
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if (!form.hasAttribute("data-upload-progress")) return;
    if (!window.FormData || !window.XMLHttpRequest) return;
    if (!form.querySelector("input[type='file']")) return;
    event.preventDefault();
    submitWithProgress(form, event.submitter);
  });

  /* ---------- Start ---------- */
  function init() {
    if (window.history.state && window.history.state.uploadReplaced) {
      root.setAttribute("data-upload-replaced", "");
    }
    initNav();
    initToasts(document);
    initAutosubmit(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  // Content swapped in by htmx (including out-of-band toasts).
  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.querySelectorAll) return;
    initToasts(elt.parentNode || elt);
    initAutosubmit(elt.parentNode || elt);
  });
})();
