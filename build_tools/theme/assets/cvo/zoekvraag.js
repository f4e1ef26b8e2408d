// Dutch query rewriting inside Material's search worker (the build loads this file first with importScripts).
// Material appends a wildcard to every query term, so "op" in "ontslag op staande voet" matched every word starting
// with "op" and an exact word scored no better than any longer word it begins. Before Material sees a query, this
// drops Dutch stop words (lunr's list, which lunr also leaves out of the index) and adds each remaining word once
// more without wildcard and boosted, so whole words rank above mere prefixes. Queries using lunr's own syntax
// (quotes, +, -, ~, ^, *, field:) are passed on unchanged.
(function () {
  "use strict";
  var QUERY = 2; // Material's SearchMessageType.QUERY
  var EXACT_BOOST = 3;
  var STOP_WORDS = new Set(("aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door " +
    "dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je " +
    "kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over " +
    "reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze " +
    "zelf zich zij zijn zo zonder zou").split(" "));
  var SYNTAX = /["+~^*:]|(^|\s)-/;
  var SEPARATOR = /[\s\-\u2013\u2014\u2026,;!?=()[\]/]+/;

  function rewrite(query) {
    if (SYNTAX.test(query)) return query;
    var words = query.split(SEPARATOR)
      .map(function (word) { return word.replace(/^['\u2019.]+|['\u2019.]+$/g, ""); })
      .filter(function (word) { return word.length > 0; });
    var content = words.filter(function (word) { return !STOP_WORDS.has(word.toLowerCase()); });
    if (!content.length) return query; // only stop words: let Material search them as typed
    return content.map(function (word) { return word + "^" + EXACT_BOOST + " " + word; }).join(" ");
  }

  self.cvoRewriteQuery = rewrite; // for the unit test
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || message.type !== QUERY || typeof message.data !== "string" || message.cvo) return;
    event.stopImmediatePropagation();
    self.dispatchEvent(new MessageEvent("message", { data: { type: QUERY, data: rewrite(message.data), cvo: true } }));
  });
})();
