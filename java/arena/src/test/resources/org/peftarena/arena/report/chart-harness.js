// Runs a report chart script in Node with a minimal DOM and a recording Chart stand-in, fires the
// module picker's change event, and prints what the script built as JSON.
// Usage: node chart-harness.js <report-data.json> <script.js> <root element id>
'use strict';
const fs = require('fs');
const [dataFile, scriptFile, rootId] = process.argv.slice(2);

function element(tag) {
  return {tag: tag, children: [], dataset: {}, listeners: {}, textContent: '', value: '', className: '',
    appendChild(c) { this.children.push(c); return c; },
    addEventListener(type, f) { this.listeners[type] = f; }};
}
const nodes = {'report-data': Object.assign(element('script'), {textContent: fs.readFileSync(dataFile, 'utf8')})};
nodes[rootId] = element('div');
global.document = {getElementById: id => nodes[id] || null, createElement: element, body: element('body')};
const charts = [];
global.Chart = function (canvas, config) {
  this.config = config;
  this.data = config.data;
  this.updates = 0;
  this.update = () => { this.updates++; };
  charts.push(this);
};
new Function(fs.readFileSync(scriptFile, 'utf8'))();

function all(node, tag, out) {
  if (node.tag === tag) {
    out.push(node);
  }
  node.children.forEach(c => all(c, tag, out));
  return out;
}
const pickers = all(nodes[rootId], 'select', []);
const snapshot = () => charts.map(c => ({type: c.config.type, xType: c.config.options.scales.x.type,
  yType: c.config.options.scales.y.type, labels: c.data.datasets.map(d => d.label), first: c.data.datasets[0].data,
  second: c.data.datasets.length > 1 ? c.data.datasets[1].data : null, updates: c.updates}));
const before = snapshot();
if (pickers.length) {
  pickers[0].value = '1';
  pickers[0].listeners.change();
}
const after = snapshot();
if (pickers.length > 1) {
  pickers[1].value = '1';
  pickers[1].listeners.change();
}
console.log(JSON.stringify({rendered: document.body.dataset.diagnosticsChartsRendered,
  errors: document.body.dataset.diagnosticsChartErrors, options: pickers.map(p => p.children.map(o => o.textContent)),
  captions: all(nodes[rootId], 'figcaption', []).map(f => f.textContent), before: before, after: after,
  afterSecond: snapshot()}));
