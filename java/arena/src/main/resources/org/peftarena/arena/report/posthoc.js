// Draws the post-hoc charts with Chart.js: per run, Target vs General from the base model to the
// final checkpoint along the interpolation path and along training, with the rewound models and the
// selected operating point. Sets data-post-hoc-charts-rendered / data-post-hoc-chart-errors on the body.
(function () {
  'use strict';
  const report = JSON.parse(document.getElementById('report-data').textContent);
  const post = report.post_hoc;
  const root = document.getElementById('post-hoc-charts');
  let rendered = 0;
  const errors = [];
  if (post && root) {
    const axis = text => ({title: {display: true, text: text}});
    // Path points are named by the scale of their update, u = normF(W(alpha) - W0) / normF(W(1) - W0), the one
    // parameterisation that compares across methods; it equals alpha on linear paths, and on the Cayley path
    // (where alpha scales OFT's generator) alpha is named next to it.
    const fmt = v => String(Math.round(v * 100) / 100);
    const pointLabel = (p, i) => {
      const u = (p.update_scales || [])[i];
      if (u === null || u === undefined) return '\u03b1=' + p.alphas[i];
      return p.kind === 'cayley' ? 'u=' + fmt(u) + ' (\u03b1=' + p.alphas[i] + ')' : 'u=' + fmt(u);
    };
    const runs = [...new Set(post.paths.map(p => p.run_id).concat(post.rewinding.map(r => r.run_id)))];
    for (const runId of runs) {
      const paths = post.paths.filter(p => p.run_id === runId);
      const first = paths[0] || post.rewinding.find(r => r.run_id === runId);
      const datasets = [];
      for (const p of paths) {
        const color = p.baseline ? '#7f7f7f' : (p.kind === 'imported' ? '#9467bd' : '#1f77b4');
        datasets.push({type: 'line', label: (p.baseline ? 'baseline ' : 'interpolation ') + p.kind, borderColor: color,
          backgroundColor: color, borderDash: p.baseline ? [6, 4] : [], pointRadius: 3, fill: false,
          pointLabels: p.baseline ? [] : p.alphas.map((a, i) => pointLabel(p, i)),
          data: p.alphas.map((a, i) => ({x: p.target_scores[i], y: p.general_scores[i], key: pointLabel(p, i)}))});
      }
      const traj = (report.trajectories || []).find(t => t.run_id === runId);
      if (traj) {
        datasets.push({type: 'line', label: 'training path', borderColor: '#d62728', backgroundColor: '#d62728',
          pointRadius: 3, fill: false,
          data: traj.steps.map((s, i) => ({x: traj.target_scores[i], y: traj.general_scores[i], key: 'step ' + s}))});
      }
      // one dataset per rewinding recipe, named in the legend and next to its point
      const recipeColors = ['#2ca02c', '#17becf', '#bcbd22', '#8c564b', '#e377c2'];
      post.rewinding.filter(r => r.run_id === runId).forEach((r, i) => {
        const c = recipeColors[i % recipeColors.length];
        datasets.push({type: 'scatter', label: 'rewound: ' + r.recipe, borderColor: c, backgroundColor: c,
          pointStyle: 'triangle', pointRadius: 7,
          pointLabels: [r.recipe + (r.update_scale === null || r.update_scale === undefined ? '' : ', u=' + fmt(r.update_scale))],
          data: [{x: r.target_score, y: r.general_score, key: 'rewound (' + r.recipe + ')'}]});
      });
      for (const o of post.overshoot.filter(o => o.run_id === runId)) {
        datasets.push({type: 'scatter', label: 'operating point (' + o.kind + ')', borderColor: '#000',
          backgroundColor: 'rgba(0,0,0,0)', pointRadius: 10, pointBorderWidth: 2,
          data: [{x: o.target_score, y: o.general_score, key: 'operating point, alpha ' + o.alpha
            + (o.update_scale === null || o.update_scale === undefined ? '' : ', u ' + fmt(o.update_scale))
            + (o.overshoot ? ' (overshoot)' : '')}]});
      }
      const box = document.createElement('figure');
      const cap = document.createElement('figcaption');
      cap.textContent = 'Target vs General, base to final: ' + first.method + ' ' + first.budget + ' ' + first.target
        + ' (' + runId + '); path points labelled with the scale of their update u = ||W - W0||F / ||W1 - W0||F'
        + ' (with alpha on the Cayley path, where alpha scales the generator), rewound models with their recipe';
      const canvas = document.createElement('canvas');
      box.appendChild(canvas);
      box.appendChild(cap);
      root.appendChild(box);
      try {
        const labels = globalThis.peftArenaPointLabels;
        new Chart(canvas, {type: 'scatter', data: {datasets: datasets}, plugins: labels ? [labels] : [],
          options: {animation: false, responsive: true, maintainAspectRatio: true,
            scales: {x: axis('Target (%)'), y: axis('General (%)')},
            plugins: {legend: {labels: {usePointStyle: true}}, tooltip: {callbacks: {label: c => c.raw.key + ': Target ' + c.raw.x.toFixed(2)
              + ', General ' + c.raw.y.toFixed(2)}}}}});
        rendered++;
      } catch (e) {
        errors.push(runId + ': ' + e);
      }
    }
  }
  document.body.dataset.postHocChartsRendered = String(rendered);
  document.body.dataset.postHocChartErrors = String(errors.length);
  if (errors.length && root) {
    const p = document.createElement('pre');
    p.textContent = errors.join('\n');
    root.appendChild(p);
  }
})();
