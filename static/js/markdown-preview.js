// The Preview button of the admin's Markdown fields (gmg_portal/forms.py MarkdownTextarea).
// A file, not an inline script: the Content-Security-Policy allows only the app's own script files.
// The text is sent to the admin's markdown-preview view, which answers the HTML the report would show,
// sanitised on the server by gmg_portal/markdown.py; nothing is rendered or trusted here.
(function () {
  "use strict";

  function csrfToken(textarea) {
    var form = textarea.form;
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function attach(textarea) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = textarea.dataset.previewLabel;
    button.setAttribute("aria-controls", textarea.id + "-preview");

    var preview = document.createElement("div");
    preview.id = textarea.id + "-preview";
    preview.className = "markdown-preview";
    preview.setAttribute("aria-live", "polite");
    preview.setAttribute("aria-label", textarea.dataset.previewTitle);
    preview.hidden = true;

    textarea.insertAdjacentElement("afterend", preview);
    textarea.insertAdjacentElement("afterend", button);

    button.addEventListener("click", function () {
      var body = new FormData();
      body.append("text", textarea.value);
      body.append("csrfmiddlewaretoken", csrfToken(textarea));
      fetch(textarea.dataset.markdownPreview, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea) },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (answer) {
          preview.innerHTML = answer.html; // sanitised by the server (nh3), as in the report
          preview.hidden = false;
        })
        .catch(function () {
          preview.textContent = textarea.dataset.previewError;
          preview.hidden = false;
        });
    });
  }

  function attachAll(root) {
    root.querySelectorAll("textarea[data-markdown-preview]").forEach(function (textarea) {
      // An inline's empty template row (__prefix__) is copied when a row is added; attach to the copy.
      if (textarea.dataset.previewAttached || textarea.name.indexOf("__prefix__") !== -1) return;
      textarea.dataset.previewAttached = "1";
      attach(textarea);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    attachAll(document);
  });
  // Django's inlines announce a row added with "formset:added" (Django 4.1+).
  document.addEventListener("formset:added", function (event) {
    attachAll(event.target);
  });
})();
