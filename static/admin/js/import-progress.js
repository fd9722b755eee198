// The progress bar of an import job's page (gmg_portal/spreadsheet_admin.py): asks the job's progress
// (JSON) every 250 ms and moves the bar; when the job has finished, reloads the page, which then shows
// the result. A file of its own because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var bar = document.querySelector("progress[data-progress-url]");
  if (!bar) {
    return;
  }
  var text = document.getElementById("import-progress-text");
  var url = bar.getAttribute("data-progress-url");
  var every = 250;

  function show(state) {
    if (state.total) {
      bar.max = state.total;
      bar.value = state.done;
      bar.textContent = state.done + " / " + state.total;
    }
    bar.setAttribute("data-status", state.status);
    if (text && state.text) {
      text.textContent = state.text;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, every);
        }
      })
      .catch(function () {
        // A server restarting or a network hiccup: ask again, a little later.
        window.setTimeout(poll, every * 5);
      });
  }

  window.setTimeout(poll, every);
})();
