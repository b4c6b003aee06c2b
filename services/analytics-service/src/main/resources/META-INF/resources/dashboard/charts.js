// SVG figures drawn in the browser: step curves (Kaplan–Meier survival, cumulative incidence) with confidence bands,
// censor marks and numbers at risk, and the small forest-plot cells of the predictors table. Text from the data is
// only ever set as text content, never parsed as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Colour-blind-safe (Okabe–Ito) without the yellow, as the server's figures. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
/** Dash patterns for the competing causes, and for groups beyond the palette. */
const DASHES = [null, '6 3', '2 3', '8 3 2 3'];
/** Estimated advance of one character in em, as the server's plots use: titles and notes wrap on it. */
const CHAR_WIDTH = 0.6;

/** Days per unit of the time axis; ticks are a few round multiples of the unit. */
export const TIME_UNITS = {
  days: {perDay: 1, label: 'Days', steps: [7, 14, 30, 60, 90, 180, 365, 730, 1095, 1826]},
  months: {perDay: 30.4375, label: 'Months', steps: [1, 2, 3, 6, 12, 24, 36, 60]},
  years: {perDay: 365.25, label: 'Years', steps: [0.25, 0.5, 1, 2, 5, 10]},
};

export function svgElement(name, attributes = {}, text) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) {
    if (v !== null && v !== undefined) {
      e.setAttribute(k, String(v));
    }
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

const num = v => (Math.round(v * 10) / 10).toString();

/** The lines a text takes within maxWidth at this font size, broken at spaces; joined they are the text. */
export function wrap(text, maxWidth, fontSize) {
  const perLine = Math.max(8, Math.floor(maxWidth / (fontSize * CHAR_WIDTH)));
  const lines = [];
  let rest = text || '';
  while (rest.length > perLine) {
    const cut = rest.lastIndexOf(' ', perLine);
    const end = cut > 0 ? cut + 1 : perLine;
    lines.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  lines.push(rest);
  return lines;
}

/** A wrapped text element (one tspan per line); returns the number of lines. */
function wrappedText(parent, x, y, lineHeight, maxWidth, fontSize, text, attributes = {}) {
  const lines = wrap(text, maxWidth, fontSize);
  const t = svgElement('text', {x, y, 'font-size': fontSize, ...attributes});
  lines.forEach((line, i) => t.appendChild(svgElement('tspan', {x, dy: i === 0 ? null : lineHeight}, line)));
  parent.appendChild(t);
  return lines.length;
}

/** Axis ticks in the unit: the smallest listed step that needs at most six intervals to reach the last day. */
export function timeTicks(lastDay, unitName) {
  const unit = TIME_UNITS[unitName];
  const last = Math.max(1, lastDay) / unit.perDay;
  const step = unit.steps.find(s => Math.ceil(last / s) <= 6) ?? unit.steps[unit.steps.length - 1];
  const intervals = Math.max(1, Math.ceil(last / step - 1e-9));
  const ticks = [];
  for (let i = 0; i <= intervals; i++) {
    const value = i * step;
    // The day whose numbers at risk are shown: the first whole day at or after the tick.
    ticks.push({value, day: Math.ceil(value * unit.perDay - 1e-9), label: Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, '')});
  }
  return ticks;
}

/** Episodes at risk at the start of a day: the at-risk count of the first row on or after it, else 0 (as R's summary). */
export function atRisk(rows, day) {
  const row = rows.find(r => r.day >= day);
  return row ? row.atRisk : 0;
}

/**
 * A step-function figure.
 *
 * @param spec.title, spec.subtitle[], spec.yLabel, spec.notes[], spec.testResult
 * @param spec.series [{label, group, colour, dash, rows:[{day, value, lower, upper, censored}], data:{...}}]
 * @param spec.start 1 for survival (curves fall from 1), 0 for cumulative incidence
 * @param spec.riskRows [{label, colour, rows:[{day, atRisk}]}] for the numbers-at-risk table under the axis
 * @param spec.band shade each series' pointwise confidence band
 * @param spec.censorMarks draw a tick where episodes were censored
 */
export function stepChart(spec) {
  const WIDTH = 900, MARGIN = 16, LEFT = 150, RIGHT = 210, PLOT_HEIGHT = 300, LINE = 16, ROW = 18;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const textWidth = WIDTH - 2 * MARGIN;
  const titleLines = wrap(spec.title, textWidth, 16).length;
  const subtitleLines = spec.subtitle.reduce((n, s) => n + wrap(s, textWidth, 12).length, 0);
  const footer = [spec.testResult, ...spec.notes].filter(Boolean);
  const footerLines = footer.reduce((n, s) => n + wrap(s, textWidth, 12).length, 0);
  const top = 26 + 20 * (titleLines - 1) + LINE * subtitleLines + 14;
  const bottom = top + PLOT_HEIGHT;
  const riskTop = bottom + 66;
  const riskRows = spec.riskRows || [];
  const afterRisk = riskTop + ROW * Math.max(1, riskRows.length) + 8;
  const height = afterRisk + LINE * footerLines + 16;

  const lastDay = Math.max(0, ...spec.series.flatMap(s => s.rows.map(r => r.day)));
  const ticks = timeTicks(lastDay, spec.unit);
  const unit = TIME_UNITS[spec.unit];
  const xMaxDays = ticks[ticks.length - 1].value * unit.perDay;
  const x = day => LEFT + day / xMaxDays * plotWidth;
  const y = v => top + (1 - v) * PLOT_HEIGHT;

  const titleId = spec.id + '-title', descId = spec.id + '-desc';
  const svg = svgElement('svg', {width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, role: 'img',
    'aria-labelledby': titleId, 'aria-describedby': descId, 'font-family': 'Helvetica, Arial, sans-serif', 'font-size': 12,
    class: 'step-chart', id: spec.id});
  svg.appendChild(svgElement('title', {id: titleId}, spec.title));
  svg.appendChild(svgElement('desc', {id: descId}, spec.description));
  svg.appendChild(svgElement('rect', {width: '100%', height: '100%', fill: '#ffffff'}));

  wrappedText(svg, MARGIN, 26, 20, textWidth, 16, spec.title, {'font-weight': 'bold', class: 'title'});
  let ty = 26 + 20 * (titleLines - 1) + LINE;
  for (const line of spec.subtitle) {
    ty += LINE * wrappedText(svg, MARGIN, ty, LINE, textWidth, 12, line, {fill: '#444444', class: 'subtitle'});
  }

  const axes = svgElement('g', {class: 'axes', stroke: '#000000', 'aria-hidden': 'true'});
  axes.appendChild(svgElement('line', {x1: LEFT, y1: top, x2: LEFT, y2: bottom}));
  axes.appendChild(svgElement('line', {x1: LEFT, y1: bottom, x2: LEFT + plotWidth, y2: bottom}));
  const labels = svgElement('g', {class: 'axis-labels', fill: '#000000', 'aria-hidden': 'true'});
  for (let i = 0; i <= 5; i++) {
    const p = i / 5;
    axes.appendChild(svgElement('line', {x1: LEFT - 5, y1: num(y(p)), x2: LEFT, y2: num(y(p))}));
    if (i > 0) {
      axes.appendChild(svgElement('line', {x1: LEFT, y1: num(y(p)), x2: LEFT + plotWidth, y2: num(y(p)), stroke: '#e5e5e5'}));
    }
    labels.appendChild(svgElement('text', {x: LEFT - 8, y: num(y(p) + 4), 'text-anchor': 'end'}, p.toFixed(1)));
  }
  for (const t of ticks) {
    const tx = num(x(t.value * unit.perDay));
    axes.appendChild(svgElement('line', {x1: tx, y1: bottom, x2: tx, y2: bottom + 5}));
    labels.appendChild(svgElement('text', {x: tx, y: bottom + 18, 'text-anchor': 'middle', class: 'tick'}, t.label));
  }
  labels.appendChild(svgElement('text', {x: LEFT + plotWidth / 2, y: bottom + 36, 'text-anchor': 'middle', class: 'x-label'},
    `${unit.label} from episode date`));
  const midY = top + PLOT_HEIGHT / 2;
  labels.appendChild(svgElement('text', {x: LEFT - 46, y: midY, 'text-anchor': 'middle', transform: `rotate(-90 ${LEFT - 46} ${midY})`},
    spec.yLabel));
  svg.appendChild(axes);
  svg.appendChild(labels);

  const legend = svgElement('g', {class: 'legend'});
  let legendY = top + 12;
  spec.series.forEach((s, i) => {
    const g = svgElement('g', {class: 'group', 'data-group': s.group ?? s.label});
    if (spec.band) {
      const d = bandPath(s.rows, spec.start, x, y);
      if (d) {
        g.appendChild(svgElement('path', {class: 'ci-band', d, fill: s.colour, 'fill-opacity': 0.15, stroke: 'none', 'aria-hidden': 'true'}));
      }
    }
    g.appendChild(svgElement('path', {class: 'curve ' + spec.curveClass, d: stepPath(s.rows, spec.start, x, y), fill: 'none',
      stroke: s.colour, 'stroke-width': 2, 'stroke-dasharray': s.dash, 'data-group': s.group ?? s.label, ...s.data}));
    if (spec.censorMarks) {
      const marks = s.rows.filter(r => r.censored > 0).map(r => `M${num(x(r.day))} ${num(y(r.value) - 5)}v10`).join('');
      if (marks) {
        g.appendChild(svgElement('path', {class: 'censor-marks', d: marks, stroke: s.colour, 'stroke-width': 1.5, fill: 'none',
          'data-group': s.group ?? s.label, 'aria-hidden': 'true'}));
      }
    }
    svg.appendChild(g);
    const lx = LEFT + plotWidth + 20;
    legend.appendChild(svgElement('line', {x1: lx, y1: legendY - 4, x2: lx + 22, y2: legendY - 4, stroke: s.colour, 'stroke-width': 2, 'stroke-dasharray': s.dash}));
    const lines = wrappedText(legend, lx + 28, legendY, 14, WIDTH - lx - 32, 12, s.label);
    legendY += ROW + 14 * (lines - 1);
  });
  svg.appendChild(legend);

  const risk = svgElement('g', {class: 'numbers-at-risk'});
  if (riskRows.length) {
    risk.appendChild(svgElement('text', {x: MARGIN, y: riskTop - ROW, 'font-weight': 'bold'}, 'Number at risk'));
  }
  riskRows.forEach((r, i) => {
    const ry = riskTop + i * ROW;
    risk.appendChild(svgElement('text', {x: LEFT - 28, y: ry, 'text-anchor': 'end', fill: r.colour}, shorten(r.label, 18)));
    for (const t of ticks) {
      risk.appendChild(svgElement('text', {x: num(x(t.value * unit.perDay)), y: ry, 'text-anchor': 'middle', class: 'at-risk',
        'data-group': r.group ?? r.label, 'data-day': t.day}, String(atRisk(r.rows, t.day))));
    }
  });
  svg.appendChild(risk);

  let fy = afterRisk + LINE;
  if (spec.testResult) {
    fy += LINE * wrappedText(svg, MARGIN, fy, LINE, textWidth, 12, spec.testResult, {class: 'test-result', 'font-weight': 'bold'});
  }
  for (const note of spec.notes) {
    fy += LINE * wrappedText(svg, MARGIN, fy, LINE, textWidth, 12, note, {class: 'note', fill: '#444444'});
  }
  return svg;
}

function shorten(text, max) {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** From the start value at day 0: across to each row's day at the previous level, then to the row's level. */
function stepPath(rows, start, x, y) {
  let d = `M${num(x(0))} ${num(y(start))}`;
  for (const r of rows) {
    d += `H${num(x(r.day))}V${num(y(r.value))}`;
  }
  return d;
}

/** The band as one closed step polygon; it stops before the first row whose limits are undefined (R's NA). */
function bandPath(rows, start, x, y) {
  const upper = [[0, start]], lower = [[0, start]];
  let u = start, l = start;
  for (const r of rows) {
    if (r.lower === null || r.lower === undefined || r.upper === null || r.upper === undefined) {
      break;
    }
    upper.push([r.day, u]);
    lower.push([r.day, l]);
    u = r.upper;
    l = r.lower;
    upper.push([r.day, u]);
    lower.push([r.day, l]);
  }
  if (upper.length < 2) {
    return null;
  }
  const pts = [...upper, ...lower.reverse()];
  return pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${num(x(p[0]))} ${num(y(p[1]))}`).join('') + 'Z';
}

export function seriesStyle(index, dashIndex = 0) {
  return {colour: PALETTE[index % PALETTE.length], dash: DASHES[(dashIndex + Math.floor(index / PALETTE.length)) % DASHES.length]};
}

/** The log-scale axis shared by every forest cell of one table. */
export function forestRange(estimates) {
  const values = estimates.flatMap(e => [e.lower, e.upper, e.hazardRatio]).filter(v => v > 0 && Number.isFinite(v));
  const lo = Math.max(0.05, Math.min(0.5, ...values));
  const hi = Math.min(20, Math.max(2, ...values));
  return [lo, hi];
}

/** One row's forest plot: the interval as a line (cut with an arrow at the axis' ends), the HR as a square, HR = 1 dashed. */
export function forestCell(estimate, range, label) {
  const W = 220, H = 20, PAD = 8;
  const [lo, hi] = range;
  const x = v => PAD + (Math.log(Math.min(Math.max(v, lo), hi)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) * (W - 2 * PAD);
  const svg = svgElement('svg', {width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'forest-cell'});
  svg.appendChild(svgElement('line', {x1: num(x(1)), y1: 0, x2: num(x(1)), y2: H, stroke: '#888888', 'stroke-dasharray': '3 2'}));
  if (estimate) {
    svg.appendChild(svgElement('line', {x1: num(x(estimate.lower)), y1: H / 2, x2: num(x(estimate.upper)), y2: H / 2, stroke: '#000000',
      'stroke-width': 1.5, class: 'ci'}));
    if (estimate.upper > hi) {
      svg.appendChild(svgElement('path', {d: `M${W - PAD} ${H / 2 - 4}l5 4l-5 4z`, fill: '#000000', class: 'clipped'}));
    }
    if (estimate.lower < lo) {
      svg.appendChild(svgElement('path', {d: `M${PAD} ${H / 2 - 4}l-5 4l5 4z`, fill: '#000000', class: 'clipped'}));
    }
    svg.appendChild(svgElement('rect', {x: num(x(estimate.hazardRatio) - 4), y: H / 2 - 4, width: 8, height: 8, fill: '#0072B2',
      class: 'hr-marker', 'data-hr': estimate.hazardRatio}));
  }
  return svg;
}

/** The forest axis as its own small figure, for the table's header. */
export function forestAxis(range) {
  const W = 220, H = 22, PAD = 8;
  const [lo, hi] = range;
  const x = v => PAD + (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) * (W - 2 * PAD);
  const svg = svgElement('svg', {width: W, height: H, viewBox: `0 0 ${W} ${H}`, 'aria-hidden': 'true'});
  for (const t of [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20].filter(t => t >= lo && t <= hi)) {
    svg.appendChild(svgElement('line', {x1: num(x(t)), y1: 14, x2: num(x(t)), y2: 20, stroke: '#000000'}));
    svg.appendChild(svgElement('text', {x: num(x(t)), y: 11, 'text-anchor': 'middle', 'font-size': 10}, String(t)));
  }
  return svg;
}

/** The figure as a standalone SVG file. */
export function serialize(svg) {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
}
