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
