// The job page: moves the progress bar while a check or publish runs, and shows
// the report (reloads the page) once it has finished. Without JavaScript, the
// page shows where the job was when it was opened; reload it to see more.
(function () {
  "use strict";
  var box = document.querySelector(".job[data-poll]");
  if (!box || box.dataset.status !== "running") return;
  var bar = document.getElementById("job-progress");
  var step = document.getElementById("job-step");
  function poll() {
    fetch(box.dataset.poll, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = job.progress;
        bar.textContent = job.progress + "%";
        if (step.textContent !== job.step) step.textContent = job.step;
        if (job.status !== "running") window.location.reload();
        else window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
