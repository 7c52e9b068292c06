import { escapeHtml } from '../../delivery/render.ts';
import { CHART_CSS } from './chart-svg.ts';
import type { ShownTime } from './shown-time.ts';

/** What links on the page need: the query (with a token) that lets a non-loopback viewer follow them. */
export interface RenderOptions {
  /** Appended to same-origin links, e.g. `token=...`; empty for loopback viewers. */
  linkQuery?: string;
}

/** A page of the status site: the head with the inline CSS (under `nonce`), the top bar, then `bodyHtml`. */
export function pageDocument(page: {
  /** The title, already escaped. */
  titleHtml: string;
  nonce: string;
  /** What the top bar shows beside the site's name. */
  topBarHtml: string;
  bodyHtml: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${page.titleHtml}</title>
<style nonce="${escapeHtml(page.nonce)}">${CSS}</style>
</head>
<body>
<header class="top">
<h1>Summary Bot <span class="muted">status</span></h1>
${page.topBarHtml}
</header>
${page.bodyHtml}
</body>
</html>`;
}

/** An instant as `<time>` in the task's zone, with how far it is from now beside it. */
export function renderTime(time: ShownTime): string {
  return `<time datetime="${escapeHtml(time.iso)}">${escapeHtml(time.local)}</time> <span class="rel">${escapeHtml(time.relative)}</span>`;
}

const CSS = `
:root{--bg:#f6f7f9;--fg:#1b1f24;--muted:#5b6470;--card:#fff;--line:#d9dde3;--good:#1a7f37;--good-bg:#dcf5e3;--warn:#8a5a00;--warn-bg:#fff1c9;--bad:#b42318;--bad-bg:#fde4e1;--info:#2450b2;--info-bg:#e3ebfd;--chip:#eceff3;--link:#2450b2}
@media (prefers-color-scheme:dark){:root{--bg:#0f1216;--fg:#e6e9ee;--muted:#9aa4b1;--card:#171b21;--line:#2b323c;--good:#6fdd8b;--good-bg:#15361f;--warn:#f2c45a;--warn-bg:#3a2e0f;--bad:#ff8f85;--bad-bg:#451a17;--info:#8fb0ff;--info-bg:#1b2844;--chip:#242a33;--link:#8fb0ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
a{color:var(--link)}
code{font:0.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
h1,h2,h3,h4,h5,p,dl,dd,ol,ul{margin:0}
.top{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;justify-content:space-between;padding:.9rem 1rem;border-bottom:1px solid var(--line);background:var(--card);position:sticky;top:0;z-index:1}
.top h1{font-size:1.15rem}
main{max-width:78rem;margin:0 auto;padding:1rem;display:grid;gap:1rem}
.muted{color:var(--muted);font-weight:normal}
.small{font-size:.85rem;color:var(--muted)}
.meta{color:var(--muted);font-size:.9rem}
.refresh{font-size:.85rem;color:var(--muted)}
.refresh.bad,.bad{color:var(--bad)}
.panel,.card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:.9rem 1rem}
.panel h2,.section-h{font-size:1.05rem;margin-bottom:.5rem}
.sub{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:.6rem 0 .35rem}
.count{display:inline-block;min-width:1.6em;padding:0 .4em;border-radius:1em;background:var(--chip);font-size:.8em;text-align:center;font-weight:600}
.stats{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(6rem,1fr));gap:.4rem}
.stat{border:1px solid var(--line);border-radius:.45rem;padding:.3rem .5rem;display:flex;flex-direction:column;line-height:1.25}
.stat .n{font-size:1.2rem;font-weight:650;font-variant-numeric:tabular-nums}
.stat .k{font-size:.8rem;color:var(--muted)}
.stat.t-good .n{color:var(--good)}.stat.t-warn .n{color:var(--warn)}.stat.t-bad .n{color:var(--bad)}
.list{list-style:none;padding:0;display:grid;gap:.6rem}
.item{border-left:3px solid var(--bad);padding:.2rem 0 .2rem .7rem;display:grid;gap:.15rem}
.error{color:var(--bad)}
.skip{color:var(--warn)}
.note{background:var(--warn-bg);color:var(--warn);padding:.4rem .7rem;border-radius:.4rem;margin-bottom:.6rem}
.guild{margin-top:.6rem}
.guild-h{font-size:.95rem;margin:.3rem 0 .6rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,24rem),1fr));gap:1rem;align-items:start}
.card{display:grid;gap:.5rem;min-width:0}
.card.s-paused,.card.s-completed{opacity:.85}
.card.s-disabled{border-color:var(--bad)}
.card-h{display:flex;flex-wrap:wrap;gap:.3rem .6rem;align-items:baseline;justify-content:space-between}
.card-h h4{font-size:1.05rem}
.id{font-size:.8rem;color:var(--muted)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem .8rem;font-size:.92rem}
dt{color:var(--muted)}
dd{min-width:0}
@media (max-width:30rem){main{padding:.75rem .6rem;gap:.75rem}.panel,.card{padding:.75rem}dl{grid-template-columns:1fr;gap:0}dd{margin-bottom:.3rem}.stat .k{font-size:.75rem}}
.next{padding-left:1.1rem}
.filters{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.35rem}
.filters a{display:inline-block;padding:.1rem .6rem;border:1px solid var(--line);border-radius:1em;text-decoration:none}
.filters a[aria-current]{background:var(--chip);font-weight:600;color:var(--fg)}
.paging{display:flex;justify-content:space-between;gap:1rem;margin-top:.6rem}
${CHART_CSS}
.plain{list-style:none;padding:0}
.rel{color:var(--muted);font-size:.85em;white-space:nowrap}
h5{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin-top:.3rem}
.runs{list-style:none;padding:0;display:grid;gap:.45rem}
.run{border-top:1px solid var(--line);padding-top:.45rem;display:grid;gap:.15rem;font-size:.92rem}
.outcomes{list-style:none;padding:0;display:grid;gap:.2rem;margin-top:.15rem}
.outcomes li{font-size:.88rem}
.badge{display:inline-block;padding:.05em .5em;border-radius:.35em;background:var(--chip);font-size:.78rem;font-weight:600;line-height:1.5;white-space:nowrap;vertical-align:1px}
.st-active,.st-succeeded,.st-delivered{background:var(--good-bg);color:var(--good)}
.st-partial,.st-paused,.st-missed,.st-pending,.st-running{background:var(--warn-bg);color:var(--warn)}
.st-failed,.st-disabled{background:var(--bad-bg);color:var(--bad)}
.st-skipped,.st-completed{background:var(--chip);color:var(--muted)}
.b-sandbox{background:var(--info-bg);color:var(--info)}
`;
