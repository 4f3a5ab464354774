// The /sparql query form.  Results are inserted with textContent only: graph literals are
// document text, untrusted.  Served under a CSP that allows scripts from this origin only.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("status"), out = document.getElementById("out");
  document.getElementById("run").addEventListener("click", async function () {
    status.textContent = "running…";
    out.textContent = "";
    var r;
    try {
      r = await fetch("/query", {method: "POST", headers: {"Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json"}, body: document.getElementById("q").value});
    } catch (e) {
      status.textContent = "cannot reach the endpoint: " + e;
      return;
    }
    var text = await r.text();
    if (!r.ok) { status.textContent = "error " + r.status + ": " + text; return; }
    var data = JSON.parse(text);
    if (data.boolean !== undefined) { status.textContent = String(data.boolean); return; }
    var table = document.createElement("table"), head = table.insertRow();
    data.head.vars.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    });
    data.results.bindings.forEach(function (b) {
      var row = table.insertRow();
      data.head.vars.forEach(function (v) { row.insertCell().textContent = b[v] ? b[v].value : ""; });
    });
    status.textContent = data.results.bindings.length + " rows";
    out.appendChild(table);
  });
});
