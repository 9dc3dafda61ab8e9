// Draws the geometry diagnostics' profile charts with Chart.js from the JSON embedded in the page:
// per target, a module-location picker and three line charts over the pretrained singular index.
(function () {
  'use strict';
  const report = JSON.parse(document.getElementById('report-data').textContent);
  const diag = report.diagnostics;
  const root = document.getElementById('diagnostics-charts');
  if (!diag || !root) {
    return;
  }
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
    '#bcbd22', '#17becf', '#393b79', '#637939', '#843c39'];
  const names = [...new Set(report.groups.map(g => g.method).concat(report.runs.map(r => r.method)))].sort();
  const colorOf = m => colors[Math.max(0, names.indexOf(m)) % colors.length];
  const kinds = [
    {key: 'retention', spectrum: true, y: 'value along (u_i, v_i)',
      title: 'Retention profile P_diag(i) = u_i^T W1 v_i against the pretrained spectrum s_i'},
    {key: 'deviation', spectrum: false, y: '|P_diag(i) - s_i|', title: 'Retention deviation |P_diag(i) - s_i|'},
    {key: 'adaptation', spectrum: false, y: 'E(i)', title: 'Adaptation profile E(i) = ||dW v_i||'}];
  let drawn = 0;
  const failures = [];

  function lines(profile, kind) {
    const out = profile.series.map(s => ({
      label: s.method + ' ' + s.budget + (s.runs > 1 ? ' (mean of ' + s.runs + ' runs)' : ''),
      borderColor: colorOf(s.method), backgroundColor: colorOf(s.method), borderWidth: 1.5, pointRadius: 0,
      fill: false, data: profile.index.map((i, j) => ({x: i + 1, y: s[kind.key][j]}))}));
    if (kind.spectrum) {
      out.unshift({label: 'pretrained s_i', borderColor: '#000', backgroundColor: '#000', borderDash: [6, 4],
        borderWidth: 2, pointRadius: 0, fill: false, data: profile.index.map((i, j) => ({x: i + 1, y: profile.spectrum[j]}))});
    }
    return out;
  }

  function element(parent, tag, text) {
    const e = document.createElement(tag);
    if (text !== undefined) {
      e.textContent = text;
    }
    parent.appendChild(e);
    return e;
  }

  for (const target of [...new Set(diag.profiles.map(p => p.target))].sort()) {
    const profiles = diag.profiles.filter(p => p.target === target);
    element(root, 'h3', 'Profiles against the pretrained spectrum (' + target + ')');
    const picker = element(element(root, 'label', 'module location: '), 'select');
    profiles.forEach((p, i) => {
      const option = element(picker, 'option', p.module);
      option.value = String(i);
    });
    const grid = element(root, 'div');
    grid.className = 'grid';
    const charts = [];
    for (const kind of kinds) {
      const box = element(grid, 'figure');
      const canvas = element(box, 'canvas');
      const caption = element(box, 'figcaption', kind.title + ': ' + profiles[0].module);
      try {
        const chart = new Chart(canvas, {type: 'line', data: {datasets: lines(profiles[0], kind)},
          options: {animation: false, responsive: true, maintainAspectRatio: true,
            scales: {x: {type: 'linear', title: {display: true, text: 'singular index i of W0 (descending s_i)'}},
              y: {title: {display: true, text: kind.y}}}}});
        charts.push({kind: kind, chart: chart, caption: caption});
        drawn++;
      } catch (e) {
        failures.push(kind.title + ' (' + target + '): ' + e);
      }
    }
    picker.addEventListener('change', () => {
      const profile = profiles[Number(picker.value)];
      for (const c of charts) {
        c.chart.data.datasets = lines(profile, c.kind);
        c.chart.update();
        c.caption.textContent = c.kind.title + ': ' + profile.module;
      }
    });
  }
  document.body.dataset.diagnosticsChartsRendered = String(drawn);
  document.body.dataset.diagnosticsChartErrors = String(failures.length);
  if (failures.length) {
    element(root, 'pre', failures.join('\n'));
  }
})();
