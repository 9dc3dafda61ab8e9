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
  // retention as the change from the pretrained spectrum (the spectrum itself dwarfs the change),
  // deviation on a log scale, adaptation for one selectable method at a time
  const kinds = [
    {key: 'retention', zero: true, y: 'P_diag(i) - s_i', scale: 'linear',
      title: 'Retention change P_diag(i) - s_i = u_i^T dW v_i (0 = the pretrained spectrum)'},
    {key: 'deviation', zero: false, y: '|P_diag(i) - s_i| (log scale)', scale: 'logarithmic',
      title: 'Retention deviation |P_diag(i) - s_i|'},
    {key: 'adaptation', zero: false, y: 'E(i)', scale: 'linear', perMethod: true,
      title: 'Adaptation profile E(i) = ||dW v_i||'}];
  let drawn = 0;
  const failures = [];

  function value(kind, profile, s, j) {
    return kind.key === 'retention' ? s.retention[j] - profile.spectrum[j] : s[kind.key][j];
  }

  function lines(profile, kind, method) {
    const series = kind.perMethod ? profile.series.filter(s => s.group === method) : profile.series;
    const out = series.map(s => ({
      label: s.method + ' ' + s.budget + (s.runs > 1 ? ' (mean of ' + s.runs + ' runs)' : ''),
      borderColor: colorOf(s.method), backgroundColor: colorOf(s.method), borderWidth: 1.5, pointRadius: 0,
      fill: false, data: profile.index.map((i, j) => ({x: i + 1, y: value(kind, profile, s, j)}))}));
    if (kind.zero) {
      out.unshift({label: 'pretrained (no change)', borderColor: '#000', backgroundColor: '#000', borderDash: [6, 4],
        borderWidth: 2, pointRadius: 0, fill: false, data: profile.index.map(i => ({x: i + 1, y: 0}))});
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

  // the metric with the strongest pooled correlation with Forget, run by run
  const strongest = diag.inference && diag.inference.strongest;
  if (strongest) {
    const key = 'mean/' + strongest;
    const runs = diag.runs.filter(r => r.forget !== null && typeof r.metrics[key] === 'number');
    const row = diag.inference.rows.find(r => r.metric === strongest);
    element(root, 'h3', 'Strongest metric against Forget: ' + strongest);
    const box = element(element(root, 'div'), 'figure');
    const canvas = element(box, 'canvas');
    element(box, 'figcaption', strongest + ' (mean over module locations) against Forget, one point per run; '
      + 'n = ' + runs.length + (row ? ', Pearson r = ' + row.pearson.toFixed(3) : ''));
    try {
      const datasets = [...new Set(runs.map(r => r.method))].sort().map(m => ({label: m, backgroundColor: colorOf(m),
        borderColor: colorOf(m), pointRadius: 5, pointLabels: runs.filter(r => r.method === m).map(r => r.budget),
        data: runs.filter(r => r.method === m).map(r => ({x: r.metrics[key], y: r.forget}))}));
      const labels = globalThis.peftArenaPointLabels;
      new Chart(canvas, {type: 'scatter', data: {datasets: datasets}, plugins: labels ? [labels] : [],
        options: {animation: false, responsive: true, maintainAspectRatio: true,
          scales: {x: {type: 'linear', title: {display: true, text: strongest}},
            y: {title: {display: true, text: 'Forget (points)'}}}}});
      drawn++;
    } catch (e) {
      failures.push('strongest metric scatter: ' + e);
    }
  }

  for (const target of [...new Set(diag.profiles.map(p => p.target))].sort()) {
    const profiles = diag.profiles.filter(p => p.target === target);
    element(root, 'h3', 'Profiles against the pretrained spectrum (' + target + ')');
    const picker = element(element(root, 'label', 'module location: '), 'select');
    profiles.forEach((p, i) => {
      const option = element(picker, 'option', p.module);
      option.value = String(i);
    });
    const methodLabel = element(root, 'label', ' adaptation profile of: ');
    const methodPicker = element(methodLabel, 'select');
    const groups = [...new Set(profiles.flatMap(p => p.series.map(s => s.group)))];
    groups.forEach((g, i) => {
      const option = element(methodPicker, 'option', g);
      option.value = String(i);
    });
    const grid = element(root, 'div');
    grid.className = 'grid';
    const charts = [];
    const state = {profile: profiles[0], method: groups[0]};
    const caption = kind => kind.title + ': ' + state.profile.module + (kind.perMethod ? ', ' + state.method : '');
    for (const kind of kinds) {
      const box = element(grid, 'figure');
      const canvas = element(box, 'canvas');
      const cap = element(box, 'figcaption', caption(kind));
      try {
        const chart = new Chart(canvas, {type: 'line', data: {datasets: lines(state.profile, kind, state.method)},
          options: {animation: false, responsive: true, maintainAspectRatio: true,
            scales: {x: {type: 'linear', title: {display: true, text: 'singular index i of W0 (descending s_i)'}},
              y: {type: kind.scale, title: {display: true, text: kind.y}}}}});
        charts.push({kind: kind, chart: chart, caption: cap});
        drawn++;
      } catch (e) {
        failures.push(kind.title + ' (' + target + '): ' + e);
      }
    }
    const redraw = () => {
      for (const c of charts) {
        c.chart.data.datasets = lines(state.profile, c.kind, state.method);
        c.chart.update();
        c.caption.textContent = caption(c.kind);
      }
    };
    picker.addEventListener('change', () => {
      state.profile = profiles[Number(picker.value)];
      redraw();
    });
    methodPicker.addEventListener('change', () => {
      state.method = groups[Number(methodPicker.value)];
      redraw();
    });
  }
  document.body.dataset.diagnosticsChartsRendered = String(drawn);
  document.body.dataset.diagnosticsChartErrors = String(failures.length);
  if (failures.length) {
    element(root, 'pre', failures.join('\n'));
  }
})();
