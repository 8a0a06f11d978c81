// parkstat review: keyboard review, adding a figure by selecting its text, and name
// completion. The pages work without it (every figure is a link, every action a form).
(function () {
  "use strict";
  function editing(el) {
    return el && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(el.tagName);
  }
  var text = document.getElementById("doctext");
  if (text) {
    var figs = Array.prototype.slice.call(text.querySelectorAll("a.fig"));
    var sel = text.querySelector("a.fig.sel");
    if (sel) { sel.scrollIntoView({block: "center"}); }
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      if (editing(document.activeElement)) {
        if (ev.key === "Escape") { document.activeElement.blur(); }
        return;
      }
      var i = sel ? figs.indexOf(sel) : -1;
      if (ev.key === "j" || ev.key === "k") {
        var next = figs[ev.key === "j" ? i + 1 : (i < 0 ? figs.length - 1 : i - 1)];
        if (next) { window.location = next.getAttribute("href"); }
        ev.preventDefault();
      } else if (ev.key === "c" && document.getElementById("confirm")) {
        var form = document.getElementById("recordform");
        var then = document.createElement("input");
        then.type = "hidden"; then.name = "then"; then.value = "next";
        form.appendChild(then);
        document.getElementById("confirm").click();
        ev.preventDefault();
      } else if (ev.key === "x" && document.getElementById("reject")) {
        document.getElementById("reject").click();
        ev.preventDefault();
      } else if (ev.key === "e" && document.getElementById("f-metric")) {
        document.getElementById("f-metric").focus();
        ev.preventDefault();
      }
    });
    var add = document.getElementById("addform");
    if (add) {
      text.addEventListener("mouseup", function () {
        var s = window.getSelection();
        if (!s || s.isCollapsed || s.rangeCount === 0) { return; }
        var r = s.getRangeAt(0);
        if (!text.contains(r.startContainer) || !text.contains(r.endContainer)) { return; }
        var chosen = r.toString();
        if (!chosen.trim()) { return; }
        var before = document.createRange();
        before.setStart(text, 0);
        before.setEnd(r.startContainer, r.startOffset);
        // code points, as the server counts them
        document.getElementById("add-start").value = Array.from(before.toString()).length;
        document.getElementById("add-selected").value = chosen;
        add.hidden = false;
        add.scrollIntoView({block: "nearest"});
      });
      document.getElementById("add-cancel").addEventListener("click", function () {
        add.hidden = true;
      });
    }
  }
  var list = document.getElementById("names-list");
  if (list) {
    var timer = null;
    Array.prototype.forEach.call(document.querySelectorAll("input[data-names]"), function (inp) {
      inp.setAttribute("list", "names-list");
      inp.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var url = "/api/names?kind=" + encodeURIComponent(inp.dataset.names) +
                    "&q=" + encodeURIComponent(inp.value);
          fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); })
            .then(function (names) {
              list.textContent = "";
              names.forEach(function (n) {
                var o = document.createElement("option");
                o.value = n.name;
                if (n.code) { o.label = n.code; }
                list.appendChild(o);
              });
            });
        }, 150);
      });
    });
  }
})();
