// Small progressive enhancements. Everything works without this file.
document.addEventListener("htmx:responseError", function (event) {
  // A refused step comes back as 422 with the panel that lists its unmet guards:
  // swap it in like a success so the user sees why.
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
