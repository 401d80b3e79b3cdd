// The actor map's network view. Data comes from the same-origin JSON endpoint,
// which applies the same confidentiality rule as the pages.
(function () {
  'use strict';
  var root = document.getElementById('network');
  if (!root || typeof window.cytoscape !== 'function') { return; }
  var $ = function (id) { return document.getElementById(id); };
  var data = null, frame = 0, cy = null, byId = {};
  var status = $('net-status'), panel = $('net-panel');

  function colour(att) {
    if (att === null || att === undefined) { return '#9e9e9e'; }
    return ['#b2182b', '#d6604d', '#f4a582', '#bdbdbd', '#92c5de', '#4393c3', '#2166ac'][att + 3];
  }
  function size(inf) { return 18 + 8 * (inf === null || inf === undefined ? 0 : inf); }

  function elements(f) {
    var els = [], present = f.actors;
    data.nodes.forEach(function (n) {
      if (!(n.id in present)) { return; }
      var s = present[n.id];
      els.push({ group: 'nodes', data: { id: n.id, label: n.name, colour: colour(s[0]), size: size(s[1]) } });
    });
    f.ties.forEach(function (t, i) {
      els.push({ group: 'edges', data: { id: 'e' + i, source: t[0], target: t[1], kind: t[2], label: t[3],
        sign: t[4], width: 1 + t[5], directed: t[6] ? 1 : 0 } });
    });
    return els;
  }

  function keep(n) {
    var k = $('n-kind').value, tr = $('n-track').value, sd = $('n-side').value, tg = $('n-tag').value;
    if (k && n.kind !== k) { return false; }
    if (tr && n.tracks.indexOf(parseInt(tr, 10)) < 0) { return false; }
    if (sd && n.side !== sd) { return false; }
    if (tg && n.tags.indexOf(tg) < 0) { return false; }
    return true;
  }

  function applyFilters() {
    var shown = 0;
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        var ok = keep(byId[node.id()]);
        node.style('display', ok ? 'element' : 'none');
        if (ok) { shown += 1; }
      });
      applyFocus();
    });
    status.textContent = (data.labels['actors-shown'] || '') + ' ' + shown + ' / ' + cy.nodes().length + ' · ' + data.frames[frame].label;
    root.setAttribute('data-shown', String(shown));
  }

  function applyFocus() {
    var id = $('n-focus').value;
    cy.elements().removeClass('faded focus');
    if (!id) { return; }
    var node = cy.getElementById(id);
    if (node.empty()) { return; }
    var hood = node.closedNeighborhood();
    cy.elements().not(hood).addClass('faded');
    node.addClass('focus');
    showPanel(id);
  }

  function text(tag, s) { var e = document.createElement(tag); e.textContent = s; return e; }

  function showPanel(id) {
    var n = byId[id], f = data.frames[frame], L = data.labels;
    if (!n) { return; }
    panel.textContent = '';
    panel.appendChild(text('h2', n.name));
    var dl = document.createElement('dl'); dl.className = 'facts';
    function row(k, v) { dl.appendChild(text('dt', k)); dl.appendChild(text('dd', v)); }
    var s = f.actors[id] || [null, null], m = f.metrics[id];
    row(L['actors-field-kind'], n.kind_label);
    row(L['actors-field-side'], n.side);
    row(L['actors-field-tracks'], n.tracks.join(', '));
    row(L['actors-attitude'], s[0] === null ? '—' : String(s[0]));
    row(L['actors-influence'], s[1] === null ? '—' : String(s[1]));
    if (m) {
      row(L['actors-metric-betweenness'], String(m[0]));
      row(L['actors-metric-pagerank'], String(m[1]));
      row(L['actors-metric-community'], String(m[2]));
      if (m[3]) { row(L['actors-metric-broker'], L['actors-yes']); }
      if (m[4]) { row(L['actors-metric-connector'], L['actors-yes']); }
      if (m[5]) { row(L['actors-grid'], m[5]); }
    }
    panel.appendChild(dl);
    panel.appendChild(text('h3', L['actors-history']));
    var ul = document.createElement('ul');
    n.history.forEach(function (h) {
      ul.appendChild(text('li', h[0] + ' · ' + L['actors-attitude'] + ' ' + (h[1] === null ? '—' : h[1]) +
        ' · ' + L['actors-influence'] + ' ' + (h[2] === null ? '—' : h[2]) + ' · ' + h[3]));
    });
    panel.appendChild(ul);
    var a = text('a', L['actors-open-page']); a.href = root.getAttribute('data-base') + encodeURIComponent(id);
    panel.appendChild(a);
  }

  function draw() {
    var f = data.frames[frame];
    $('n-date-label').textContent = f.date + ' · ' + f.label;
    root.setAttribute('data-ties', String(f.ties.length));
    var positions = {};
    if (cy) { cy.nodes().forEach(function (n) { positions[n.id()] = n.position(); }); cy.destroy(); }
    var els = elements(f);
    var big = f.ties.length > 400 || Object.keys(f.actors).length > 150;
    var known = Object.keys(positions).length > 0;
    cy = window.cytoscape({
      container: $('net-canvas'), elements: els, wheelSensitivity: 0.3,
      textureOnViewport: big, hideEdgesOnViewport: big, pixelRatio: 1,
      style: [
        { selector: 'node', style: { 'background-color': 'data(colour)', width: 'data(size)', height: 'data(size)',
          label: 'data(label)', 'font-size': 9, 'text-valign': 'bottom', 'border-width': 1, 'border-color': '#555',
          'min-zoomed-font-size': 8 } },
        { selector: 'edge', style: { width: 'data(width)', 'line-color': '#6b8f99', 'curve-style': 'haystack', opacity: 0.8 } },
        { selector: 'edge[directed = 1]', style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#6b8f99' } },
        { selector: 'edge[sign < 0]', style: { 'line-color': '#b2182b', 'target-arrow-color': '#b2182b', 'line-style': 'dashed' } },
        { selector: 'edge[kind = "communication"]', style: { 'line-style': 'dotted' } },
        { selector: 'edge[kind = "funding"], edge[kind = "authority"]', style: { 'line-color': '#7b3294', 'target-arrow-color': '#7b3294' } },
        { selector: 'edge[kind = "kinship"]', style: { 'line-color': '#1b7837' } },
        { selector: '.faded', style: { opacity: 0.12 } },
        { selector: '.focus', style: { 'border-width': 4, 'border-color': '#e0a100' } }
      ],
      layout: known ? { name: 'preset', positions: function (n) { return positions[n.id()] || { x: 0, y: 0 }; } }
        : big ? { name: 'concentric', concentric: function (n) { return n.data('size'); }, levelWidth: function () { return 8; }, animate: false }
        : { name: 'cose', animate: false, randomize: false, numIter: 600 }
    });
    if (known) {
      // New actors of this frame get a place near their neighbours.
      cy.nodes().forEach(function (n) {
        if (!positions[n.id()]) {
          var nb = n.neighborhood('node').filter(function (x) { return positions[x.id()]; });
          var p = nb.length ? nb[0].position() : { x: 0, y: 0 };
          n.position({ x: p.x + 30, y: p.y + 30 });
        }
      });
      cy.fit(undefined, 20);
    }
    cy.on('tap', 'node', function (e) { $('n-focus').value = e.target.id(); applyFocus(); root.setAttribute('data-focus', e.target.id()); });
    applyFilters();
  }

  function downloadPng() {
    if (!cy) { return; }
    var blob = cy.png({ output: 'blob', full: true, bg: '#ffffff', scale: 2 });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'actor-map-' + data.frames[frame].date + '.png';
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  ['n-kind', 'n-track', 'n-side', 'n-tag'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
  $('n-focus').addEventListener('change', applyFocus);
  $('n-date').addEventListener('input', function () { frame = parseInt(this.value, 10) || 0; draw(); });
  $('n-png').addEventListener('click', downloadPng);
  $('net-controls').addEventListener('submit', function (e) { e.preventDefault(); });

  fetch(root.getAttribute('data-src'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
    .then(function (d) {
      data = d;
      d.nodes.forEach(function (n) { byId[n.id] = n; });
      frame = d.frames.length - 1;
      var slider = $('n-date'); slider.max = String(frame); slider.value = String(frame);
      draw();
      root.setAttribute('data-ready', '1');
    })
    .catch(function () { status.textContent = '—'; });
}());
