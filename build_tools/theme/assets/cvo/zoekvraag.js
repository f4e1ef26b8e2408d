// Dutch query rewriting inside the search worker of Material or Zensical (the build loads this file first with
// importScripts).
// Material appends a wildcard to every query term, so "op" in "ontslag op staande voet" matched every word starting
// with "op" and an exact word scored no better than any longer word it begins. Before Material sees a query, this
// drops Dutch stop words (lunr's list, which lunr also leaves out of the index) and adds each remaining word once
// more without wildcard and boosted, so whole words rank above mere prefixes. Queries using lunr's own syntax
// (quotes, +, -, ~, ^, *, field:) are passed on unchanged. Zensical's worker requires every query word in one result
// (so "mag ik de leraar filmen" found nothing) and has no boost syntax: there only the stop words are dropped.
(function () {
  "use strict";
  var QUERY = 2; // Material's SearchMessageType.QUERY; Zensical's query message has the same type
  var EXACT_BOOST = 3;
  var STOP_WORDS = new Set(("aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door " +
    "dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je " +
    "kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over " +
    "reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze " +
    "zelf zich zij zijn zo zonder zou").split(" "));
  var SYNTAX = /["+~^*:]|(^|\s)-/;
  var SEPARATOR = /[\s\-\u2013\u2014\u2026,;!?=()[\]/]+/;

  function contentWords(query) {
    return query.split(SEPARATOR)
      .map(function (word) { return word.replace(/^['\u2019.]+|['\u2019.]+$/g, ""); })
      .filter(function (word) { return word.length > 0 && !STOP_WORDS.has(word.toLowerCase()); });
  }

  function rewrite(query) {
    if (SYNTAX.test(query)) return query;
    var content = contentWords(query);
    if (!content.length) return query; // only stop words: let Material search them as typed
    return content.map(function (word) { return word + "^" + EXACT_BOOST + " " + word; }).join(" ");
  }

  function rewriteZensical(query) {
    var content = contentWords(query);
    return content.length ? content.join(" ") : query;
  }

  self.cvoRewriteQuery = rewrite; // for the unit test
  self.cvoRewriteZensicalQuery = rewriteZensical;
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || message.type !== QUERY || message.cvo) return;
    var data;
    if (typeof message.data === "string") data = rewrite(message.data); // Material: the query string
    else if (message.data && typeof message.data.input === "string") // Zensical: a query object with its input
      data = Object.assign({}, message.data, { input: rewriteZensical(message.data.input) });
    else return;
    event.stopImmediatePropagation();
    self.dispatchEvent(new MessageEvent("message", { data: { type: QUERY, data: data, cvo: true } }));
  });
})();
