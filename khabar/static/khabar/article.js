// Progressive enhancement only: every control below is a plain link that
// works without JavaScript (print view, copy link target, comment page).
document.addEventListener("click", function (event) {
  var printLink = event.target.closest("[data-print]");
  if (printLink) {
    event.preventDefault();
    window.print();
    return;
  }
  var copyLink = event.target.closest("[data-copy]");
  if (copyLink && navigator.clipboard) {
    event.preventDefault();
    navigator.clipboard.writeText(copyLink.dataset.copy).then(function () {
      copyLink.textContent = "نُسخ الرابط";
    });
  }
});

// Bring the comment form into the page; it lives at its own uncached URL so
// cached article pages never carry one reader's token.
var slot = document.querySelector("[data-fragment]");
if (slot) {
  fetch(slot.dataset.fragment, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
    .then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var form = doc.querySelector("form");
      if (form) { slot.replaceChildren(document.importNode(form, true)); }
    })
    .catch(function () { /* keep the link to the comment page */ });
}
