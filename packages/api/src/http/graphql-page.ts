/**
 * GET /graphql in a browser: a small self-hosted explorer instead of Apollo's Sandbox, which loads from a CDN and
 * is a blank page offline (the demo must work without internet). The page runs queries with fetch against this
 * API; it says so and links the full Sandbox for when there is internet. Production shows no landing page.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';

const EXAMPLE = '{ programSettings { rounding pointsValidityMonths } stores { id name } }';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The page's HTML: no external script, style or font. */
export function graphqlPageHtml(): string {
  const curl = `curl -s http://localhost:4000/graphql -H 'content-type: application/json' -d '{"query":"${EXAMPLE.replace(/"/g, '\\"')}"}'`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Quanzi GraphQL</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:0 auto;max-width:960px;padding:16px;color:#222}
textarea,input{width:100%;box-sizing:border-box;font:13px ui-monospace,monospace;padding:8px;border:1px solid #ccc;border-radius:4px}
textarea{height:180px}pre{background:#f6f6f6;padding:12px;border-radius:4px;overflow:auto;min-height:80px}
button{padding:8px 20px;font-size:14px;margin:8px 0}.note{background:#fff8e1;padding:8px 12px;border-radius:4px}
</style></head><body>
<h1>Quanzi GraphQL</h1>
<p class="note">This is a small offline explorer served by the API itself. Apollo's full Sandbox needs internet (it loads
from a CDN); with internet, open <a href="https://studio.apollographql.com/sandbox/explorer" id="sandbox">Apollo Sandbox</a>
and point it at this URL. The schema is in <code>packages/api/schema.graphql</code>.</p>
<label>Query<textarea id="query">${escapeHtml(EXAMPLE)}</textarea></label>
<label>Variables (JSON)<textarea id="variables" style="height:60px">{}</textarea></label>
<label>Bearer token (from <code>login</code>; optional)<input id="token" placeholder="eyJ…"></label>
<button id="run">Run</button>
<pre id="result"></pre>
<h2>From a terminal</h2>
<pre>${escapeHtml(curl)}</pre>
<script>
var sb=document.getElementById('sandbox');sb.href+='?endpoint='+encodeURIComponent(location.origin+'/graphql');
document.getElementById('run').onclick=function(){
  var out=document.getElementById('result');var vars;
  try{vars=JSON.parse(document.getElementById('variables').value||'{}')}catch(e){out.textContent='Variables: '+e.message;return}
  var h={'content-type':'application/json'};var t=document.getElementById('token').value.trim();if(t)h.authorization='Bearer '+t;
  out.textContent='…';
  fetch(location.pathname,{method:'POST',headers:h,body:JSON.stringify({query:document.getElementById('query').value,variables:vars})})
    .then(function(r){return r.text()}).then(function(s){try{out.textContent=JSON.stringify(JSON.parse(s),null,2)}catch(e){out.textContent=s}})
    .catch(function(e){out.textContent=String(e)});
};
</script></body></html>`;
}

/** The landing page plugin: the offline explorer, or none in production. */
export function graphqlLandingPage(production: boolean): ApolloServerPlugin {
  if (production) return ApolloServerPluginLandingPageDisabled();
  const html = graphqlPageHtml();
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
