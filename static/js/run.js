// The chairing screen: say so when an automatic save could not reach the server.
// The typed text stays in the form; the next keystroke or the Save button tries again.
document.addEventListener("htmx:sendError", function () {
  var status = document.getElementById("minutes-status");
  if (status) {
    status.textContent = status.dataset.offline || "";
    status.className = "minutes-status message message--warning";
  }
});
