// Adds a copy button to each permanent article link; the links themselves work without JavaScript.
document.querySelectorAll("a[data-cvo-copy]").forEach(function (link) {
  if (!navigator.clipboard) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "cvo-copy";
  button.textContent = "kopieer";
  button.setAttribute("aria-label", "Kopieer link: " + link.textContent);
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(link.href).then(function () {
      button.textContent = "gekopieerd";
    });
  });
  link.after(button);
});

// WCAG 2.5.3 (label in name): Material's version button shows "2.0 (geldend)" but is named "Selecteer versie".
// Its name must contain what it shows, so speech users can say the visible text. Material renders the selector
// after fetching versions.json, hence the observer.
(function () {
  function nameVersionButton() {
    var button = document.querySelector(".md-version__current");
    if (!button) return false;
    var shown = button.textContent.replace(/\s+/g, " ").trim();
    var name = "Versie " + shown + ", kies een andere versie";
    if (button.getAttribute("aria-label") !== name) button.setAttribute("aria-label", name);
    return true;
  }
  var header = document.querySelector(".md-header");
  if (!header || !("MutationObserver" in window)) return;
  nameVersionButton();
  new MutationObserver(nameVersionButton).observe(header, { childList: true, subtree: true });
})();

// Material's search results wrapper is focusable (tabindex=0, so keyboard users can scroll it) but has no role;
// as a named region it is announced for what it is (axe focus-order-semantics).
(function () {
  var results = document.querySelector(".md-search__scrollwrap");
  if (results && !results.hasAttribute("role")) {
    results.setAttribute("role", "region");
    results.setAttribute("aria-label", "Zoekresultaten");
  }
})();
