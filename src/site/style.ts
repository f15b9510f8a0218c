/** The site's one stylesheet: readable at phone width, focus always visible, print-friendly. */
export const SITE_CSS = `:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--good:#1a7f37;--bad:#cf222e;--wait:#9a6700;--link:#0550ae;--bg:#fff;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{border-bottom:1px solid var(--line)}
footer{color:var(--muted);font-size:.875rem;border-top:1px solid var(--line);margin-top:2rem}
a{color:var(--link)}
a:focus-visible,button:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:var(--bg);padding:.25rem .5rem}
.crumbs{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;padding:.75rem 0;margin:0}
.crumbs li+li::before{content:"›";margin-right:.25rem;color:var(--muted)}
h1{font-size:1.6rem;overflow-wrap:anywhere}h2{font-size:1.25rem;margin-top:2rem}
code{font-size:.85em;overflow-wrap:anywhere}
main p,main li,main dd,main caption{overflow-wrap:anywhere}
figure{margin:1rem 0}
.table{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.25rem 0;color:var(--muted)}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--soft)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}
.chart{max-width:100%;overflow-x:auto}.chart svg{max-width:100%;height:auto}
.good{color:var(--good)}.bad{color:var(--bad)}.wait{color:var(--wait)}
.problems{border:2px solid var(--bad);border-radius:6px;padding:.25rem 1rem;margin:1rem 0}
#verify{border:1px solid var(--line);border-radius:6px;padding:0 1rem 1rem;margin-top:2rem;background:var(--soft)}
#verify li{margin:.25rem 0;overflow-wrap:anywhere}
button{font:inherit;padding:.4rem 1rem;border:1px solid var(--ink);border-radius:6px;background:var(--bg);color:var(--ink);cursor:pointer}
button:disabled{opacity:.6}
@media (max-width:40rem){body{font-size:15px}dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.5rem}}
`;
