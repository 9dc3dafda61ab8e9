// Draws the report's charts with Chart.js from the JSON embedded in the page.
(function () {
  'use strict';
  const report = JSON.parse(document.getElementById('report-data').textContent);
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
    '#bcbd22', '#17becf', '#393b79', '#637939', '#843c39'];
  const methods = [...new Set(report.groups.map(g => g.method).concat(report.runs.map(r => r.method)))].sort();
  const color = m => palette[Math.max(0, methods.indexOf(m)) % palette.length];
  const targets = [...new Set(report.groups.map(g => g.target).concat(report.bases.map(b => b.target)))].sort();
  const root = document.getElementById('charts');
  let rendered = 0;
  const errors = [];

  function section(title) {
    const h = document.createElement('h2');
    h.textContent = title;
    root.appendChild(h);
    const grid = document.createElement('div');
    grid.className = 'grid';
    root.appendChild(grid);
    return grid;
  }

  function chart(parent, title, config) {
    const box = document.createElement('figure');
    const cap = document.createElement('figcaption');
    cap.textContent = title;
    const canvas = document.createElement('canvas');
    box.appendChild(canvas);
    box.appendChild(cap);
    parent.appendChild(box);
    config.options = Object.assign({animation: false, responsive: true, maintainAspectRatio: true}, config.options || {});
    try {
      new Chart(canvas, config);
      rendered++;
    } catch (e) {
      errors.push(title + ': ' + e);
    }
  }

  const axis = text => ({title: {display: true, text: text}});
  // one marker per method family; the legend shows each dataset's marker (base: a star)
  const families = report.families || {};
  const markers = {'low-rank': 'circle', 'orthogonal': 'triangle', 'full': 'rect', 'other': 'rectRot'};
  const marker = m => markers[families[m]] || 'rectRot';
  const legend = {labels: {usePointStyle: true}};
  // draws each point's entry of dataset.pointLabels next to it (method and budget, alpha, recipe)
  const pointLabels = {
    id: 'pointLabels',
    afterDatasetsDraw(c) {
      const ctx = c.ctx;
      ctx.save();
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = '#333';
      c.data.datasets.forEach((d, i) => {
        if (!d.pointLabels || !c.isDatasetVisible(i)) {
          return;
        }
        c.getDatasetMeta(i).data.forEach((el, j) => {
          if (d.pointLabels[j]) {
            ctx.fillText(d.pointLabels[j], el.x + 8, el.y - 6);
          }
        });
      });
      ctx.restore();
    }
  };
  globalThis.peftArenaPointLabels = pointLabels;
  // draws each point's seed interval (dataset.intervals[j] = {x, y}: one standard error over seeds) as a cross
  const seedIntervals = {
    id: 'seedIntervals',
    afterDatasetsDraw(c) {
      const ctx = c.ctx;
      const xs = c.scales.x;
      const ys = c.scales.y;
      ctx.save();
      ctx.lineWidth = 1;
      c.data.datasets.forEach((d, i) => {
        if (!d.intervals || !c.isDatasetVisible(i)) {
          return;
        }
        ctx.strokeStyle = d.borderColor || '#333';
        d.data.forEach((p, j) => {
          const e = d.intervals[j];
          if (!e) {
            return;
          }
          ctx.beginPath();
          ctx.moveTo(xs.getPixelForValue(p.x - e.x), ys.getPixelForValue(p.y));
          ctx.lineTo(xs.getPixelForValue(p.x + e.x), ys.getPixelForValue(p.y));
          ctx.moveTo(xs.getPixelForValue(p.x), ys.getPixelForValue(p.y - e.y));
          ctx.lineTo(xs.getPixelForValue(p.x), ys.getPixelForValue(p.y + e.y));
          ctx.stroke();
        });
      });
      ctx.restore();
    }
  };
  // one standard error of a group's mean over its seeds, or null with a single run
  const seedError = g => (g.runs > 1 && g.target_sd !== null && g.general_sd !== null)
    ? {x: g.target_sd / Math.sqrt(g.runs), y: g.general_sd / Math.sqrt(g.runs)} : null;
  const lrLabel = lr => 'lr ' + Number(lr).toPrecision(2).replace(/\.?0+(e|$)/, '$1');

  for (const target of targets) {
    const grid = section('Target: ' + target);
    const groups = report.groups.filter(g => g.target === target);
    const datasets = [];
    for (const m of [...new Set(groups.map(g => g.method))].sort()) {
      const mine = groups.filter(g => g.method === m);
      datasets.push({label: m + ' (' + (families[m] || 'other') + ')', backgroundColor: color(m), borderColor: color(m),
        pointStyle: marker(m), pointRadius: 7, pointLabels: mine.map(g => g.method + ' ' + g.budget),
        intervals: mine.map(seedError),
        data: mine.map(g => ({x: g.target_mean, y: g.general_mean, key: g.key}))});
    }
    for (const b of report.bases.filter(b => b.target === target)) {
      datasets.push({label: 'base model', backgroundColor: '#000', borderColor: '#000', pointStyle: 'star',
        pointRadius: 11, pointLabels: ['base'], data: [{x: b.target_score, y: b.general_score, key: 'base'}]});
    }
    // the frontier over every band (dashed, ringed points) and one per matched budget band (dotted)
    const ofTarget = report.frontiers.filter(f => f.target === target && f.points.length);
    for (const frontier of ofTarget) {
      const all = frontier.band === 'all';
      datasets.push({type: 'line', label: all ? 'Pareto frontier (all budgets)' : 'frontier, budget ' + frontier.band,
        borderColor: all ? '#222' : '#888', borderDash: all ? [6, 4] : [2, 3], borderWidth: all ? 2 : 1.5,
        pointStyle: 'circle', pointRadius: all ? 12 : 0, pointBorderWidth: 2, pointBackgroundColor: 'rgba(0,0,0,0)',
        pointBorderColor: '#222', fill: false,
        data: frontier.points.map(p => ({x: p.target, y: p.general, key: 'frontier (' + frontier.band + '): ' + p.id}))});
    }
    for (const p of report.alpha_paths.filter(p => p.target === target)) {
      datasets.push({type: 'line', label: 'alpha path ' + p.run_id, borderColor: '#999', pointRadius: 3, fill: false,
        pointLabels: p.alphas.map(a => '\u03b1=' + a),
        data: p.alphas.map((a, i) => ({x: p.target_scores[i], y: p.general_scores[i], key: 'alpha ' + a}))});
    }
    // each method's curve over learning rates at a budget (the comparison the frontier view reads)
    const curves = new Map();
    for (const g of groups) {
      const k = g.method + ' ' + g.budget;
      curves.set(k, (curves.get(k) || []).concat([g]));
    }
    for (const [k, mine] of [...curves.entries()].sort()) {
      if (new Set(mine.map(g => g.learning_rate)).size < 2) {
        continue;
      }
      mine.sort((a, b) => a.learning_rate - b.learning_rate);
      datasets.push({type: 'line', label: k + ' over learning rates', borderColor: color(mine[0].method),
        backgroundColor: color(mine[0].method), borderWidth: 1, pointRadius: 0, fill: false,
        pointLabels: mine.map(g => lrLabel(g.learning_rate)),
        data: mine.map(g => ({x: g.target_mean, y: g.general_mean, key: g.key}))});
    }
    chart(grid, 'Target vs General (' + target + '): each point a method at a budget and learning rate, mean over seeds '
      + 'with one standard error over seeds as a cross; lines join a method\'s learning rates at one budget; marker = '
      + 'method family; dashed: frontier over all budgets, dotted: frontier per budget band', {
      type: 'scatter', data: {datasets: datasets}, plugins: [pointLabels, seedIntervals],
      options: {scales: {x: axis('Target (%)'), y: axis('General (%)')}, plugins: {legend: legend,
        tooltip: {callbacks: {label: c => c.raw.key + ': Target ' + c.raw.x.toFixed(2) + ', General ' + c.raw.y.toFixed(2)}}}}
    });
    const withBase = groups.filter(g => g.gain !== null && g.forget !== null);
    chart(grid, 'Gain and Forget per method (' + target + '), points', {
      type: 'bar',
      data: {labels: withBase.map(g => g.method + ' ' + g.budget), datasets: [
        {label: 'Gain', backgroundColor: '#2ca02c', data: withBase.map(g => g.gain)},
        {label: 'Forget', backgroundColor: '#d62728', data: withBase.map(g => g.forget)}]},
      options: {scales: {y: axis('points')}}
    });
    const traj = report.trajectories.filter(t => t.target === target);
    for (const [key, name] of [['target_scores', 'Target'], ['general_scores', 'General']]) {
      chart(grid, name + ' along training (' + target + ')', {
        type: 'line',
        data: {datasets: traj.map(t => ({label: t.method + ' ' + t.budget + ' s' + t.seed, borderColor: color(t.method),
          backgroundColor: color(t.method), fill: false, data: t.steps.map((s, i) => ({x: s, y: t[key][i]}))}))},
        options: {scales: {x: Object.assign({type: 'linear'}, axis('training step')), y: axis(name + ' (%)')}}
      });
    }
  }
  // RL targets: pass@k against k per method group, the base model dashed
  const regimes = report.regimes || {};
  const rlGroups = regimes.rl || [];
  const rlTargets = [...new Set(rlGroups.map(g => g.target))].sort();
  if (rlTargets.length) {
    const grid = section('pass@k (RL)');
    for (const target of rlTargets) {
      const mine = rlGroups.filter(g => g.target === target);
      const base = (regimes.bases || {})[target];
      const ks = [...new Set(mine.flatMap(g => Object.keys(g.pass_at_k)).concat(Object.keys(base || {})))]
        .map(Number).sort((a, b) => a - b);
      const datasets = mine.map(g => ({label: g.method + ' ' + g.budget + ' lr ' + g.learning_rate, borderColor: color(g.method),
        backgroundColor: color(g.method), pointStyle: marker(g.method), fill: false,
        data: ks.map(k => ({x: k, y: g.pass_at_k[String(k)] ?? null}))}));
      if (base) {
        datasets.push({label: 'base model', borderColor: '#000', backgroundColor: '#000', pointStyle: 'star',
          borderDash: [6, 4], fill: false, data: ks.map(k => ({x: k, y: base[String(k)] ?? null}))});
      }
      chart(grid, 'pass@k per method (' + target + '): the unbiased estimate from sampled completions per problem; '
        + 'the base model dashed', {
        type: 'line', data: {datasets: datasets},
        options: {scales: {x: Object.assign({type: 'logarithmic', min: ks[0], max: ks[ks.length - 1],
          afterBuildTicks: a => { a.ticks = ks.map(v => ({value: v})); }, ticks: {callback: v => String(v)}},
          axis('k (samples)')), y: axis('pass@k (%)')}, plugins: {legend: legend}}
      });
    }
  }
  document.body.dataset.chartsRendered = String(rendered);
  document.body.dataset.chartErrors = String(errors.length);
  if (errors.length) {
    const p = document.createElement('pre');
    p.textContent = errors.join('\n');
    root.appendChild(p);
  }
})();
