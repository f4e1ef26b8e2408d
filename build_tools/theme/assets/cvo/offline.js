// Registers the checker's service worker (see build_tools/service_worker.py) so the checker works offline.
(function () {
  if (!("serviceWorker" in navigator) || !document.currentScript) return;
  var here = document.currentScript.src;
  navigator.serviceWorker.register(new URL("../../checker/sw.js", here).href, {
    scope: new URL("../../checker/", here).href,
  }).catch(function () { /* offline use is a bonus; the checker works online without it */ });
})();
