// Pages of a version not in force: the sticky notice (cvo.css) links to the article the reader is at, in the
// version in force ("Lees A.6 in de geldende versie"). Without this script it links to the same page there.
(function () {
  "use strict";
  var notice = document.querySelector(".cvo-notice");
  var link = notice && notice.querySelector("a");
  if (!link) return;
  var page = link.getAttribute("href").split("#")[0];
  var pageText = link.textContent;
  var headings = Array.prototype.slice.call(document.querySelectorAll(".md-content .md-typeset :is(h1, h2, h3, h4)[id]"));
  var pending = false;

  function measure() {
    document.documentElement.style.setProperty("--cvo-notice-height", notice.offsetHeight + "px");
  }

  function headingAtReadingLine() {
    var line = notice.getBoundingClientRect().bottom + 40; // a :target heading sits about 24px below the notice
    var found = null;
    for (var i = 0; i < headings.length && headings[i].getBoundingClientRect().top <= line; i++) found = headings[i];
    return found;
  }

  function update() {
    pending = false;
    var heading = headingAtReadingLine();
    var article = heading && heading.classList.contains("cvo-artikel-kop") ? heading : null;
    link.setAttribute("href", article ? page + "#" + article.id : page);
    link.textContent = article ? "Lees " + article.textContent.trim() + " in de geldende versie" : pageText;
  }

  function schedule() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(update);
    }
  }

  measure();
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target) target.scrollIntoView(); // again, now that the scroll margin includes the notice's real height
  update();
  addEventListener("scroll", schedule, { passive: true });
  addEventListener("hashchange", schedule);
  addEventListener("resize", function () { measure(); schedule(); });
})();
