// Teams' Adaptive Card chart elements for the local chat page (and the card render tests).
//
// Teams draws Chart.Donut, Chart.Pie, Chart.VerticalBar, Chart.HorizontalBar and Chart.Line
// itself; the official Adaptive Cards renderer (npm adaptivecards) does not know them and would
// show each chart's fallback (the table). This file registers an element for each type with
// the renderer's GlobalRegistry so that the page shows the chart, drawn as SVG:
// - labels and numbers come from the card (in the card's language: the element's "lang", which
//   the bot sets to the reader's locale), and the figure's accessible name is written in it;
// - colours are the Okabe–Ito set (readable with the common colour-vision deficiencies), every
//   bar and slice also carries its label and value in text, so colour is never the only cue.
// Load it after adaptivecards.js. Nothing here reaches the network.
(function () {
  'use strict';
  const AC = window.AdaptiveCards;
  if (!AC) return;

  const SVG = 'http://www.w3.org/2000/svg';
  // Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, blue,
  // vermillion, reddish purple, yellow, grey.
  const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7', '#F0E442', '#999999'];
  // Teams' named colours mapped into the same set.
  const NAMED = { good: '#009E73', warning: '#E69F00', attention: '#D55E00', neutral: '#999999' };

  const english = lang => /^en\b/i.test(lang || '');
  const number = (value, lang) => {
    try {
      return new Intl.NumberFormat(lang || undefined).format(value);
    } catch (e) {
      return String(value);
    }
  };
  const colour = (point, index) => NAMED[point && point.color] || OKABE_ITO[index % OKABE_ITO.length];

  function svgNode(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // What the chart says, in words, for its accessible name (and the tooltip).
  function describe(title, points, lang) {
    const list = points.map(p => `${p.label} ${number(p.value, lang)}`).join(english(lang) ? ', ' : '，');
    return title ? `${title}${english(lang) ? ': ' : '：'}${list}` : list;
  }

  // The card's data as { label, value, color } (non-numbers are skipped: the bot sends numbers).
  function legendPoints(data) {
    return (Array.isArray(data) ? data : [])
      .filter(p => p && typeof p.value === 'number' && isFinite(p.value))
      .map(p => ({ label: String(p.legend === undefined ? '' : p.legend), value: p.value, color: p.color }));
  }

  function xyPoints(data) {
    return (Array.isArray(data) ? data : [])
      .filter(p => p && typeof p.y === 'number' && isFinite(p.y))
      .map(p => ({ label: String(p.x === undefined ? '' : p.x), value: p.y, color: p.color }));
  }

  class ChartElement extends AC.CardElement {
    internalParse(source, context) {
      // "lang" is the chart's language (Teams' chart property). The renderer's own "lang" check
      // uses a global regular expression whose state carries over from one element to the next
      // (every other "zh" fails), so the chart keeps it for itself instead.
      const { lang, ...rest } = source || {};
      super.internalParse(rest, context);
      this.chart = source || {};
    }

    internalRender() {
      const chart = this.chart || {};
      const lang = typeof chart.lang === 'string' ? chart.lang : (english(document.documentElement.lang) ? 'en' : 'zh-CN');
      const figure = document.createElement('figure');
      figure.className = 'devchannel-chart';
      figure.dataset.chartType = this.getJsonTypeName();
      figure.lang = lang;
      figure.style.margin = '0';
      figure.style.fontFamily = "'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans', 'DejaVu Sans', sans-serif";
      if (chart.title) {
        const caption = document.createElement('figcaption');
        caption.className = 'devchannel-chart-title';
        caption.textContent = String(chart.title);
        caption.style.fontWeight = '600';
        caption.style.margin = '0 0 4px';
        figure.appendChild(caption);
      }
      const { svg, points } = this.draw(chart, lang);
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', describe(chart.title, points, lang));
      svg.appendChild(svgNode('title', {}, describe(chart.title, points, lang)));
      svg.style.width = '100%';
      svg.style.maxWidth = '440px';
      svg.style.height = 'auto';
      svg.style.display = 'block';
      svg.style.fontSize = '12px';
      figure.appendChild(svg);
      return figure;
    }
  }

  // ---- pie and donut: one slice per non-zero value, a legend beside it ----
  function drawCircle(chart, lang, inner) {
    const points = legendPoints(chart.data);
    const slices = points.filter(p => p.value > 0);
    const total = slices.reduce((sum, p) => sum + p.value, 0);
    const height = Math.max(160, 24 + points.length * 22);
    const svg = svgNode('svg', { viewBox: `0 0 440 ${height}`, class: 'devchannel-chart-svg' });
    const cx = 80, cy = height / 2, r = 70;
    let angle = -Math.PI / 2;
    slices.forEach(p => {
      const index = points.indexOf(p);
      const sweep = (p.value / total) * Math.PI * 2;
      const fill = colour(p, index);
      let shape;
      if (slices.length === 1) {
        shape = svgNode('circle', { cx, cy, r, fill });
      } else {
        const x1 = cx + r * Math.cos(angle), y1 = cy + r * Math.sin(angle);
        const x2 = cx + r * Math.cos(angle + sweep), y2 = cy + r * Math.sin(angle + sweep);
        const large = sweep > Math.PI ? 1 : 0;
        shape = svgNode('path', { d: `M ${cx} ${cy} L ${x1.toFixed(2)} ${y1.toFixed(2)} A ${r} ${r} 0 ${large} 1 ${x2.toFixed(2)} ${y2.toFixed(2)} Z`, fill });
      }
      shape.setAttribute('class', 'devchannel-chart-slice');
      shape.setAttribute('stroke', '#ffffff');
      shape.setAttribute('stroke-width', '2');
      shape.setAttribute('data-label', p.label);
      shape.setAttribute('data-value', String(p.value));
      shape.appendChild(svgNode('title', {}, `${p.label} ${number(p.value, lang)}`));
      svg.appendChild(shape);
      angle += sweep;
    });
    if (inner && slices.length > 0) {
      svg.appendChild(svgNode('circle', { cx, cy, r: r * 0.55, fill: '#ffffff' }));
      svg.appendChild(svgNode('text', { x: cx, y: cy + 5, 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 600, class: 'devchannel-chart-total' }, number(total, lang)));
    }
    // Legend: swatch, label, value and share, in the card's order (zeros listed too).
    points.forEach((p, index) => {
      const y = cy - (points.length * 22) / 2 + index * 22 + 11;
      svg.appendChild(svgNode('rect', { x: 170, y: y - 7, width: 14, height: 14, fill: colour(p, index), stroke: '#333333', 'stroke-width': 0.5 }));
      const share = total > 0 ? Math.round((p.value / total) * 1000) / 10 : 0;
      const [open, close] = english(lang) ? [' (', ')'] : ['（', '）'];
      svg.appendChild(svgNode('text', { x: 192, y: y + 4, class: 'devchannel-chart-label' },
        `${p.label} ${number(p.value, lang)}${open}${number(share, lang)}%${close}`));
    });
    return { svg, points };
  }

  // ---- vertical bars: one bar per point, its value above and its label below ----
  function drawVertical(chart, lang) {
    const points = xyPoints(chart.data);
    const max = Math.max(1, ...points.map(p => p.value));
    const width = 440, top = 20, bottom = 40, left = 10, plot = 140;
    const svg = svgNode('svg', { viewBox: `0 0 ${width} ${top + plot + bottom}`, class: 'devchannel-chart-svg' });
    const slot = (width - left * 2) / Math.max(1, points.length);
    const barWidth = Math.min(48, slot * 0.6);
    svg.appendChild(svgNode('line', { x1: left, x2: width - left, y1: top + plot, y2: top + plot, stroke: '#666666' }));
    points.forEach((p, index) => {
      const h = (Math.max(0, p.value) / max) * plot;
      const x = left + slot * index + (slot - barWidth) / 2;
      const bar = svgNode('rect', { x: x.toFixed(2), y: (top + plot - h).toFixed(2), width: barWidth.toFixed(2), height: h.toFixed(2), fill: colour(p, chart.color ? 0 : index), class: 'devchannel-chart-bar', 'data-label': p.label, 'data-value': p.value });
      if (chart.color && NAMED[chart.color]) bar.setAttribute('fill', NAMED[chart.color]);
      bar.appendChild(svgNode('title', {}, `${p.label} ${number(p.value, lang)}`));
      svg.appendChild(bar);
      svg.appendChild(svgNode('text', { x: (x + barWidth / 2).toFixed(2), y: (top + plot - h - 4).toFixed(2), 'text-anchor': 'middle', class: 'devchannel-chart-value' }, number(p.value, lang)));
      svg.appendChild(svgNode('text', { x: (x + barWidth / 2).toFixed(2), y: top + plot + 16, 'text-anchor': 'middle', class: 'devchannel-chart-label' }, p.label));
    });
    if (chart.xAxisTitle) svg.appendChild(svgNode('text', { x: width / 2, y: top + plot + 34, 'text-anchor': 'middle', fill: '#555555' }, String(chart.xAxisTitle)));
    return { svg, points };
  }

  // ---- horizontal bars: one row per point: label, bar, value ----
  function drawHorizontal(chart, lang) {
    const points = xyPoints(chart.data);
    const max = Math.max(1, ...points.map(p => p.value));
    const row = 26, labelWidth = 120, width = 440, valueWidth = 40;
    const svg = svgNode('svg', { viewBox: `0 0 ${width} ${Math.max(row, points.length * row) + 4}`, class: 'devchannel-chart-svg' });
    points.forEach((p, index) => {
      const y = index * row + 4;
      const w = (Math.max(0, p.value) / max) * (width - labelWidth - valueWidth - 8);
      svg.appendChild(svgNode('text', { x: labelWidth - 6, y: y + 14, 'text-anchor': 'end', class: 'devchannel-chart-label' }, p.label));
      const bar = svgNode('rect', { x: labelWidth, y, width: w.toFixed(2), height: row - 8, fill: (chart.color && NAMED[chart.color]) || colour(p, index), class: 'devchannel-chart-bar', 'data-label': p.label, 'data-value': p.value });
      bar.appendChild(svgNode('title', {}, `${p.label} ${number(p.value, lang)}`));
      svg.appendChild(bar);
      svg.appendChild(svgNode('text', { x: (labelWidth + w + 4).toFixed(2), y: y + 14, class: 'devchannel-chart-value' }, number(p.value, lang)));
    });
    return { svg, points };
  }

  // ---- line: one polyline per series over the x values of the first series, a legend below ----
  function drawLine(chart, lang) {
    const series = (Array.isArray(chart.data) ? chart.data : []).filter(s => s && Array.isArray(s.values));
    // The x labels of all series in order: a label one series lacks goes after its predecessor in the series that has it.
    const xs = [];
    series.forEach(s => {
      let after = -1;
      s.values.forEach(v => {
        const x = String(v.x);
        const at = xs.indexOf(x);
        if (at >= 0) {
          after = at;
        } else {
          xs.splice(after + 1, 0, x);
          after += 1;
        }
      });
    });
    const values = series.flatMap(s => s.values.map(v => v.y)).filter(y => typeof y === 'number' && isFinite(y));
    const max = Math.max(1, ...values), min = Math.min(0, ...values);
    const width = 440, top = 16, plot = 130, left = 16, legendRow = 18;
    const height = top + plot + 24 + series.length * legendRow;
    const svg = svgNode('svg', { viewBox: `0 0 ${width} ${height}`, class: 'devchannel-chart-svg' });
    const step = (width - left * 2) / Math.max(1, xs.length - 1);
    const at = (x, y) => [left + step * xs.indexOf(String(x)) + (xs.length === 1 ? (width - left * 2) / 2 : 0), top + plot - ((y - min) / (max - min || 1)) * plot];
    svg.appendChild(svgNode('line', { x1: left, x2: width - left, y1: top + plot, y2: top + plot, stroke: '#666666' }));
    xs.forEach(x => {
      const [px] = at(x, min);
      svg.appendChild(svgNode('text', { x: px.toFixed(2), y: top + plot + 16, 'text-anchor': 'middle', class: 'devchannel-chart-label' }, x));
    });
    const points = [];
    series.forEach((s, index) => {
      const stroke = colour(s, index);
      const coords = s.values.filter(v => typeof v.y === 'number').map(v => at(v.x, v.y));
      const line = svgNode('polyline', { points: coords.map(c => c.map(n => n.toFixed(2)).join(',')).join(' '), fill: 'none', stroke, 'stroke-width': 2.5, class: 'devchannel-chart-line', 'data-label': String(s.legend || '') });
      // A different dash per series, so that lines differ by more than their colour.
      if (index > 0) line.setAttribute('stroke-dasharray', ['', '6 3', '2 3', '8 3 2 3'][index % 4]);
      svg.appendChild(line);
      coords.forEach(([x, y]) => svg.appendChild(svgNode('circle', { cx: x.toFixed(2), cy: y.toFixed(2), r: 3, fill: stroke, class: 'devchannel-chart-point' })));
      const ly = top + plot + 24 + index * legendRow + 10;
      svg.appendChild(svgNode('line', { x1: left, x2: left + 24, y1: ly - 4, y2: ly - 4, stroke, 'stroke-width': 2.5, 'stroke-dasharray': line.getAttribute('stroke-dasharray') || '' }));
      svg.appendChild(svgNode('text', { x: left + 30, y: ly, class: 'devchannel-chart-legend' }, String(s.legend || '')));
      s.values.forEach(v => points.push({ label: `${s.legend ? s.legend + ' ' : ''}${v.x}`, value: v.y }));
    });
    return { svg, points };
  }

  const types = {
    'Chart.Donut': (chart, lang) => drawCircle(chart, lang, true),
    'Chart.Pie': (chart, lang) => drawCircle(chart, lang, false),
    'Chart.VerticalBar': drawVertical,
    'Chart.HorizontalBar': drawHorizontal,
    'Chart.Line': drawLine
  };

  for (const [typeName, draw] of Object.entries(types)) {
    const element = class extends ChartElement {
      getJsonTypeName() {
        return typeName;
      }

      draw(chart, lang) {
        return draw(chart, lang);
      }
    };
    AC.GlobalRegistry.elements.register(typeName, element, AC.Versions.v1_0);
  }
})();
