// "← back" on a source sentence: when the reader came from that page, go
// back in history instead, to the very place they clicked the citation.
// Without JavaScript the link opens the page at its top.
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest("a.back");
  if (!a || !document.referrer) return;
  var from = new URL(document.referrer), to = new URL(a.href);
  if (from.origin === to.origin && from.pathname === to.pathname && history.length > 1) {
    e.preventDefault();
    history.back();
  }
});
