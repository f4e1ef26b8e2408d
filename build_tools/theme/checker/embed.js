// Host-page script for the embedded checker: <iframe data-cvo-checker src=".../checker/embed/" title="...">
// plus <script src=".../checker/embed.js" async></script>. Each such iframe gets the height of its content, and
// re-dispatches the checker's messages as DOM events on the iframe element ("cvo-checker:ready",
// "cvo-checker:advice"; event.detail is the message). Only messages from that iframe's own window and origin count.
(function () {
  "use strict";
  if (window.cvoCheckerEmbed) return; // loaded twice: one listener is enough
  window.cvoCheckerEmbed = true;
  var EVENTS = { "cvo-checker:ready": 1, "cvo-checker:advice": 1 };

  function frameOf(event) {
    var frames = document.querySelectorAll("iframe[data-cvo-checker]");
    for (var i = 0; i < frames.length; i += 1) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      try {
        if (new URL(frame.src, location.href).origin === event.origin) return frame;
      } catch (error) {
        return null;
      }
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data.type !== "string" || data.type.indexOf("cvo-checker:") !== 0) return;
    var frame = frameOf(event);
    if (!frame) return;
    if (data.type === "cvo-checker:resize") {
      var height = Number(data.height);
      if (height > 0 && height < 100000) frame.style.height = Math.ceil(height) + "px";
    } else if (EVENTS[data.type]) {
      frame.dispatchEvent(new CustomEvent(data.type, { detail: data }));
    }
  });
})();
