// Suggests articles while a question is typed into the enquiry form, after a pause in typing.
// Progressive enhancement: without this script the "Check for answers first" button shows
// the same suggestions. The fragment comes from our own server, escaped by its templates.
(function () {
  "use strict";
  var PAUSE_MS = 700;
  var MAX_CHARACTERS = 500;
  var region = document.getElementById("suggestions");
  var question = document.getElementById("id_question");
  var visit = document.querySelector("input[name=visit]");
  if (!region || !question || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var url = region.getAttribute("data-url");
  var timer = null;
  var asked = question.value.trim();
  var controller = null;

  function update() {
    var text = question.value.trim().slice(0, MAX_CHARACTERS);
    if (text === asked) {
      return;
    }
    asked = text;
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    var query = new URLSearchParams({ question: text, visit: visit ? visit.value : "" });
    fetch(url + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        // Only the answer to what is typed now, and only when it changed (a live region
        // reads every change aloud).
        if (html !== null && text === asked && html.trim() !== region.innerHTML.trim()) {
          region.innerHTML = html;
        }
      })
      .catch(function () {
        // No suggestions this time: the form works without them.
      });
  }

  question.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, PAUSE_MS);
  });
})();
