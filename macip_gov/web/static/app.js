// The review app's only script: generic behaviour that enhances pages which work without it.
// No page has inline script (the Content Security Policy forbids it); behaviour is asked for
// with data- attributes.
(function () {
  "use strict";

  // <form data-confirm="Sign off revision 4?"> or <button data-confirm="..."> asks before sending.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // An error summary shown with a page, or swapped in by htmx, takes the focus so that it is read out.
  function focusSummary(root) {
    var summary = root.querySelector("[data-autofocus]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusSummary(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusSummary(event.detail.target || document);
  });

  // Buttons with data-print print the page (a report or a letter).
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
