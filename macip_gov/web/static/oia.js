// The OIA document view: text selected in the original fills in the marking form (block, passage and
// which occurrence), and the grounds list narrows as a search is typed. The form works without this
// script: the block is chosen from the list and the passage typed.
(function () {
  "use strict";

  function squeeze(text) {
    return text.replace(/\s+/g, " ");
  }

  function elementOf(node) {
    return node && node.nodeType === 1 ? node : node && node.parentElement;
  }

  function blockOf(node) {
    var element = elementOf(node);
    return element ? element.closest("[data-block]") : null;
  }

  function say(form, message) {
    var status = form.querySelector("[data-oia-selection-status]");
    if (status) {
      status.textContent = message;
    }
  }

  // How many times the passage appears in the block before the selection starts (0 for the first).
  function occurrenceBefore(block, range, quote) {
    var before = document.createRange();
    before.selectNodeContents(block);
    before.setEnd(range.startContainer, range.startOffset);
    var start = squeeze(before.toString()).length;
    var whole = squeeze(block.textContent || "");
    var count = 0;
    var at = whole.indexOf(quote);
    // Allow for the space that squeezing the text before the selection may have joined.
    while (at !== -1 && at < start - 1) {
      count += 1;
      at = whole.indexOf(quote, at + 1);
    }
    return count;
  }

  function fillFromSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    var original = elementOf(range.commonAncestorContainer);
    original = original ? original.closest("[data-oia-original]") : null;
    if (!original) {
      return;
    }
    var panels = original.closest("[data-oia-doc]") || document;
    var form = panels.querySelector("[data-oia-mark-form]");
    if (!form) {
      return;
    }
    var block = blockOf(range.startContainer);
    if (!block || block !== blockOf(range.endContainer)) {
      say(form, "Select text within one block (one paragraph, list item or heading), or mark whole blocks.");
      return;
    }
    var quote = squeeze(selection.toString()).trim();
    if (!quote) {
      return;
    }
    var blockField = form.querySelector("[data-oia-block]");
    var quoteField = form.querySelector("[data-oia-quote]");
    var occurrenceField = form.querySelector("[data-oia-occurrence]");
    if (!blockField || !quoteField || !occurrenceField) {
      return;
    }
    blockField.value = block.getAttribute("data-block");
    quoteField.value = quote;
    occurrenceField.value = String(occurrenceBefore(block, range, quote) + 1);
    var whole = form.querySelector("input[name=whole_block]");
    if (whole) {
      whole.checked = false;
    }
    say(form, "Selected in block " + (Number(blockField.value) + 1) + ": “" + quote + "”. Choose the grounds and save.");
  }

  var pending = null;
  document.addEventListener("selectionchange", function () {
    // Wait until the selection settles (a drag fires many changes).
    window.clearTimeout(pending);
    pending = window.setTimeout(fillFromSelection, 150);
  });
  document.addEventListener("mouseup", function (event) {
    var target = elementOf(event.target);
    if (target && target.closest("[data-oia-original]")) {
      window.clearTimeout(pending);
      fillFromSelection();
    }
  });

  // The grounds list keeps the grounds whose id or description holds every word typed.
  document.addEventListener("input", function (event) {
    var search = event.target;
    if (!search.matches || !search.matches("[data-oia-ground-search]")) {
      return;
    }
    var words = search.value.toLowerCase().replace(/\b(s|section|ss)\b\.?/g, " ").split(/\s+/).filter(Boolean);
    var list = document.getElementById(search.getAttribute("aria-controls"));
    if (!list) {
      return;
    }
    list.querySelectorAll("[data-oia-ground]").forEach(function (item) {
      var text = item.getAttribute("data-oia-ground");
      var shown = words.every(function (word) { return text.indexOf(word) !== -1; });
      // A ground already ticked stays in view, so a choice is never hidden.
      var ticked = item.querySelector("input:checked");
      item.hidden = !shown && !ticked;
    });
  });
})();
