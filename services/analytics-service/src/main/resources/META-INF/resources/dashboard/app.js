// The analyst dashboard: reads the analyst API with the signed-in bearer token, draws what it answers, and follows the
// live statistics stream so that everything on screen is redrawn when the dataset changes.
import {Api, ApiError} from './api.js';
import {forestAxis, forestCell, forestRange, seriesStyle, serialize, stepChart} from './charts.js';

const TOKEN_KEY = 'nbr.analyst-token';
const ENDPOINT_NAMES = {EFS: 'Event-free survival', OS: 'Overall survival'};
const DAYS_PER_YEAR = 365; // the times of the estimates, as the API's default (365, 730, 1095) and R's summary calls
// Factors whose levels have an order (calendar years): only for them is a test for trend meaningful.
const ORDERED_FACTORS = new Set(['period']);
const ADJUSTMENTS = {holm: ['pHolm', 'Holm'], bonferroni: ['pBonferroni', 'Bonferroni']};
const $ = id => document.getElementById(id);

const state = {
  api: null,
  factors: [],
  stopStream: null,
  data: {},          // the answers on screen: survival, predictors, summary, competing, model
  shownVersion: null,
  streamVersion: null,
  updatedAt: null,   // reflectsChangesUpTo of the answers on screen
  loading: false,
  reloadAgain: false,
  loadedFor: null,   // the stream's dataset version when the last reload started: each newer version reloads once
  modelAsked: false, // a model was fitted: a refresh or a new cohort refits it
  refresh: null,     // {at, version}: a live refresh event received and not yet drawn (its redraw time is recorded)
};

// ---------------------------------------------------------------- formatting

/** Rounded half away from zero on the double's exact value; never "-0.000". */
const fixed = (v, digits) => {
  if (!known(v)) return '—';
  const text = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
};
const pct = v => !known(v) ? '—' : (v * 100).toFixed(1);

const known = v => v !== null && v !== undefined && Number.isFinite(v);
const pValue = p => !known(p) ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3);
/** "p = 0.012", "p < 0.001", or that there is none (e.g. no events of a cause). */
const pPhrase = p => !known(p) ? 'p not computable' : p < 0.001 ? 'p < 0.001' : 'p = ' + p.toFixed(3);
/** A percentage with its interval, or alone where the interval is undefined (R's NA). */
const pctCi = (v, lower, upper) => known(lower) && known(upper) ? `${pct(v)} (${pct(lower)}–${pct(upper)})` : pct(v);
const label = text => (text || '').replaceAll('_', ' ');

function factorLabel(name) {
  return state.factors.find(f => f.name === name)?.label || label(name);
}

function median(m) {
  if (!m || m.days === null || m.days === undefined) {
    return 'not reached';
  }
  const bound = v => (v === null || v === undefined) ? 'NR' : Math.round(v);
  return `${Math.round(m.days)} d (${bound(m.lower)}–${bound(m.upper)})`;
}

function ago(instant) {
  if (!instant) {
    return '';
  }
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(instant)) / 1000));
  if (seconds < 60) {
    return `updated ${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `updated ${Math.floor(seconds / 60)} min ago`;
  }
  return `updated ${Math.floor(seconds / 3600)} h ago`;
}

// ---------------------------------------------------------------- DOM helpers

function h(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v !== null && v !== undefined && v !== false) {
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) {
      e.append(c instanceof Node ? c : String(c));
    }
  }
  return e;
}

function table(id, head, bodies) {
  const t = $(id);
  const caption = t.querySelector('caption');
  t.replaceChildren(...[caption, h('thead', {}, h('tr', {}, head)), ...bodies].filter(Boolean));
}

const th = (text, attrs = {}) => h('th', {scope: 'col', ...attrs}, text);
/**
 * A figure as shown, carrying the exact value it rounds (data-value) and where it sits in the API's answer (data-field,
 * a JSON pointer below the row's object), so that every number on screen can be checked against the answer.
 */
const val = (field, v, digits) => h('span', {'data-field': field, 'data-value': known(v) ? v : null},
  digits === 'p' ? pValue(v) : fixed(v, digits));
/** An estimate with its interval, "12 (8–20)", each part a val(). */
const valCi = (field, v, lower, upper, digits) => [val(field + v[0], v[1], digits), ' (', val(field + lower[0], lower[1], digits), '–',
  val(field + upper[0], upper[1], digits), ')'];
const num = (text, attrs = {}) => h('td', {class: 'num', ...attrs}, text);

function showError(message) {
  $('error').textContent = message || '';
}

// ---------------------------------------------------------------- sign in, sign out

async function signIn(token) {
  const api = new Api(token.trim());
  $('sign-in-error').textContent = '';
  $('sign-in-button').disabled = true;
  try {
    state.factors = await api.json('/v1/factors');
  } catch (e) {
    $('sign-in-error').textContent = e instanceof ApiError && e.status === 401
      ? 'The token was refused (401): it is malformed, expired or not signed by the registry\'s key.'
      : e instanceof ApiError && e.status === 403
        ? 'This token may not read the statistics (403): sign in with a token of the role analyst.'
        : 'The analytics service could not be reached: ' + e.message;
    sessionStorage.removeItem(TOKEN_KEY);
    $('token').focus();
    return;
  } finally {
    $('sign-in-button').disabled = false;
  }
  state.api = api;
  sessionStorage.setItem(TOKEN_KEY, api.token);
  fillFactorControls();
  $('sign-in').hidden = true;
  $('main').hidden = false;
  $('sign-out').hidden = false;
  $('token').value = '';
  state.stopStream = api.follow(onStreamEvent, onStreamState);
  await reload();
  $('main').focus({preventScroll: true});
}

function signOut() {
  state.stopStream?.();
  Object.assign(state, {api: null, stopStream: null, data: {}, shownVersion: null, streamVersion: null, loadedFor: null, updatedAt: null,
    modelAsked: false, refresh: null});
  sessionStorage.removeItem(TOKEN_KEY);
  $('main').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  setLive('offline', 'Not signed in');
  $('dataset-version').textContent = '';
  $('updated-ago').textContent = '';
  $('token').focus();
}

function fillFactorControls() {
  const options = () => state.factors.map(f => h('option', {value: f.name}, f.label));
  const groupBy = $('group-by');
  groupBy.replaceChildren(groupBy.options[0], ...options());
  for (const id of ['model-int-a', 'model-int-b', 'model-strata', 'f-strata']) {
    const select = $(id);
    select.replaceChildren(select.options[0], ...options());
  }
  $('model-terms').replaceChildren(...state.factors.map(f =>
    h('label', {}, h('input', {type: 'checkbox', name: 'term', value: f.name}), f.label)));
}

// ---------------------------------------------------------------- live

function setLive(kind, text) {
  $('live-state').dataset.state = kind;
  $('live-state').textContent = text;
}

function onStreamState(kind, status) {
  if (kind === 'live') {
    setLive('live', 'Live');
  } else if (kind === 'reconnecting') {
    setLive('reconnecting', 'Reconnecting…');
  } else {
    setLive('offline', `Live updates refused (${status}): sign in again`);
  }
}

function onStreamEvent(name, change) {
  state.streamVersion = change.datasetVersion;
  if (state.shownVersion !== null && change.datasetVersion > state.shownVersion
      && (state.loadedFor === null || change.datasetVersion > state.loadedFor)) {
    if (!state.refresh) {
      state.refresh = {at: performance.now(), version: change.datasetVersion};
      performance.mark('refresh-received');
    }
    reload();
  }
}

/**
 * Once what is on screen reflects the refresh event's dataset version, records how long the redraw took from the
 * event's arrival: the measure "refresh-to-redraw" and data-redraw-ms on the dataset version.
 */
function recordRedraw() {
  if (!state.refresh || state.shownVersion === null || state.shownVersion < state.refresh.version) {
    return;
  }
  const ms = performance.now() - state.refresh.at;
  performance.mark('refresh-redrawn');
  performance.measure('refresh-to-redraw', 'refresh-received', 'refresh-redrawn');
  $('dataset-version').dataset.redrawMs = ms.toFixed(1);
  $('dataset-version').dataset.redrawVersion = state.shownVersion;
  state.refresh = null;
}

function tick() {
  $('updated-ago').textContent = ago(state.updatedAt);
  $('updated-ago').title = state.updatedAt ? 'reflects the changes up to ' + state.updatedAt : '';
}

// ---------------------------------------------------------------- queries

function settings() {
  const form = $('controls');
  const years = form.years.value.split(',').map(s => Number(s.trim())).filter(y => Number.isFinite(y) && y > 0);
  const types = [...form.querySelectorAll('input[name=episodeType]:checked')].map(i => i.value);
  return {
    endpoint: form.querySelector('input[name=endpoint]:checked').value,
    groupBy: form.groupBy.value,
    years: years.length ? years : [1, 2, 3],
    unit: form.timeUnit.value,
    band: form.ciBand.checked,
    sites: form.site.value.split(',').map(s => s.trim()).filter(Boolean),
    from: form.from.value, to: form.to.value,
    // All three types is no filter; none checked is read the same way rather than as an empty cohort.
    episodeTypes: types.length === 3 ? [] : types,
    firstEpisodesOnly: form.firstEpisodesOnly.checked,
    asOf: form.asOf.value,
    landmark: form.landmark.value,
    rho: form.rho.value,
    strata: form.strata.value,
    adjust: form.adjust.value,
    tauYears: Number(form.tau.value) > 0 ? Number(form.tau.value) : null,
  };
}

function cohortParams(s, {asOf = true, landmark = false} = {}) {
  const q = new URLSearchParams();
  if (s.sites.length) q.set('site', s.sites.join(','));
  if (s.from) q.set('from', s.from);
  if (s.to) q.set('to', s.to);
  s.episodeTypes.forEach(t => q.append('episodeType', t));
  if (s.firstEpisodesOnly) q.set('firstEpisodesOnly', 'true');
  if (asOf && s.asOf) q.set('asOf', s.asOf);
  if (landmark && s.landmark !== '') q.set('landmark', s.landmark);
  return q;
}

const days = s => s.years.map(y => Math.round(y * DAYS_PER_YEAR));

function survivalPath(s, extra = {}) {
  const q = cohortParams(s, {landmark: true});
  q.set('endpoint', s.endpoint);
  if (s.groupBy) q.set('groupBy', s.groupBy);
  q.set('times', days(s).join(','));
  if (s.tauYears) q.set('tau', Math.round(s.tauYears * DAYS_PER_YEAR));
  if (s.rho !== '0') q.set('rho', s.rho);
  // Stratifying needs a grouping, and by another factor.
  if (s.groupBy && s.strata && s.strata !== s.groupBy) q.set('strata', s.strata);
  Object.entries(extra).forEach(([k, v]) => q.set(k, v));
  return '/v1/survival?' + q;
}

function predictorsPath(s, extra = {}) {
  const q = cohortParams(s, {landmark: true});
  q.set('endpoint', s.endpoint);
  Object.entries(extra).forEach(([k, v]) => q.set(k, v));
  return '/v1/predictors?' + q;
}

function competingPath(s, extra = {}) {
  const q = cohortParams(s);
  if (s.groupBy) q.set('groupBy', s.groupBy);
  q.set('times', days(s).join(','));
  Object.entries(extra).forEach(([k, v]) => q.set(k, v));
  return '/v1/competing-risks?' + q;
}

const summaryPath = s => '/v1/cohort/summary?' + cohortParams(s);

// ---------------------------------------------------------------- loading

/** Loads every analysis on screen; a reload asked for while one runs runs once more after it, with the newest data. */
async function reload() {
  if (!state.api) {
    return;
  }
  if (state.loading) {
    state.reloadAgain = true;
    return;
  }
  state.loading = true;
  state.loadedFor = state.streamVersion;
  $('loading').textContent = 'Loading…';
  const s = settings();
  try {
    const [survival, predictors, summary, competing] = await Promise.allSettled([
      state.api.json(survivalPath(s)), state.api.json(predictorsPath(s)),
      state.api.json(summaryPath(s)), state.api.json(competingPath(s))]);
    const failure = [survival, predictors, summary, competing].find(r => r.status === 'rejected');
    if (failure && failure.reason instanceof ApiError && failure.reason.status === 401) {
      signOut();
      $('sign-in-error').textContent = 'The token is no longer accepted (401): sign in again.';
      return;
    }
    showError(failure ? failure.reason.message : '');
    state.data.settings = s;
    if (survival.status === 'fulfilled') state.data.survival = survival.value;
    if (predictors.status === 'fulfilled') state.data.predictors = predictors.value;
    if (summary.status === 'fulfilled') state.data.summary = summary.value;
    if (competing.status === 'fulfilled') state.data.competing = competing.value;
    if (state.modelAsked) {
      await fitModel();
    }
    const shown = [survival, predictors, summary, competing].filter(r => r.status === 'fulfilled').map(r => r.value);
    if (shown.length) {
      state.shownVersion = Math.min(...shown.map(a => a.datasetVersion));
      state.updatedAt = shown.map(a => a.reflectsChangesUpTo).filter(Boolean).sort().at(-1) || null;
    }
    render();
    recordRedraw();
  } finally {
    state.loading = false;
    $('loading').textContent = '';
  }
  if (state.reloadAgain) {
    state.reloadAgain = false;
    reload();
  }
}

function render() {
  const s = settings();
  const d = state.data;
  if (d.survival) renderSurvival(d.survival, s);
  if (d.predictors) renderPredictors(d.predictors);
  if (d.summary) renderSummary(d.summary);
  if (d.competing) renderCompeting(d.competing, s);
  $('dataset-version').textContent = state.shownVersion === null ? '' : `Dataset version ${state.shownVersion}`;
  $('dataset-version').dataset.version = state.shownVersion ?? '';
  tick();
  $('print-footer').textContent = `Printed ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · dataset version `
    + `${state.shownVersion} · ${cohortText(s)}`;
}

function cohortText(s) {
  const parts = [s.sites.length ? 'sites ' + s.sites.join(', ') : 'all sites'];
  if (s.from || s.to) parts.push(`episodes ${s.from || '…'} to ${s.to || '…'}`);
  if (s.episodeTypes.length) parts.push(s.episodeTypes.join(' or ') + ' episodes');
  if (s.firstEpisodesOnly) parts.push('first episodes only');
  if (s.asOf) parts.push('data cut-off ' + s.asOf);
  if (s.landmark !== '') parts.push('landmark day ' + s.landmark);
  return parts.join(' · ');
}

// ---------------------------------------------------------------- Kaplan–Meier

function renderSurvival(a, s) {
  const endpointName = ENDPOINT_NAMES[a.endpoint] || a.endpoint;
  const groups = a.groupBy ? a.groups : [{...a.overall, level: 'All episodes'}];
  const notes = [];
  const drawn = [];
  groups.forEach(g => g.suppressed ? notes.push(`Not drawn: ${g.level} — ${g.suppressionReason}`) : drawn.push(g));
  if (a.groupBy && a.groups.length === 0) notes.push(`No episode in this cohort has a known level of ${factorLabel(a.groupBy)}.`);
  if (a.excluded > 0) notes.push(`${a.excluded} episodes left out: their level of ${factorLabel(a.groupBy)} is unknown.`);
  if (a.excludedSuppressionReason) notes.push(`Episodes left out for an unknown level: withheld (${a.excludedSuppressionReason}).`);
  if (s.band) notes.push(`Shaded: pointwise ${Math.round(a.confLevel * 100)}% confidence band (${a.confType} transform).`);
  notes.push('Ticks on a curve mark censored episodes.');
  const test = comparisonText(a);
  const series = drawn.map((g, i) => ({
    label: g.level, group: g.level, ...seriesStyle(i),
    rows: g.table.map(r => ({day: r.day, value: r.survival, lower: r.lower, upper: r.upper, censored: r.censored})),
    data: {'data-n': g.n, 'data-events': g.events},
  }));
  const title = endpointName + (a.groupBy ? ' by ' + factorLabel(a.groupBy) : '');
  const overall = a.overall.suppressed ? `Cohort below the disclosure threshold: ${a.overall.suppressionReason}`
    : `n = ${a.overall.n} episodes, ${a.overall.events} events, median ${median(a.overall.median)}`;
  const svg = stepChart({
    id: 'km-chart', title, subtitle: [overall, `${cohortText(s)} · dataset version ${a.datasetVersion}`],
    yLabel: endpointName + ' probability', series, start: 1, unit: s.unit, band: s.band, censorMarks: true, curveClass: 'km-curve',
    riskRows: series.map(x => ({label: x.label, group: x.group, colour: x.colour, rows: drawn.find(g => g.level === x.group).table})),
    testResult: test, notes,
    description: `${title}. ` + drawn.map(g => `${g.level}: ${g.n} episodes, ${g.events} events, median ${median(g.median)}`).join('; ')
      + (test ? '. ' + test : ''),
  });
  $('km-figure').replaceChildren(svg);
  $('km-test').textContent = test || '';

  const times = a.times;
  const head = [th('Group'), th('n', {class: 'num'}), th('Events', {class: 'num'}), th('Median, days (95% CI)'),
    ...times.map(t => th(`${endpointName.split(' ')[0]} at ${+(t / DAYS_PER_YEAR).toFixed(2)} y (day ${t}), % (95% CI)`, {class: 'num'}))];
  const rowOf = (g, name) => {
    if (g.suppressed) {
      return h('tr', {'data-group': name}, h('th', {scope: 'row'}, name),
        h('td', {colspan: 3 + times.length, class: 'withheld'}, 'withheld: ' + g.suppressionReason));
    }
    return h('tr', {'data-group': name}, h('th', {scope: 'row'}, name),
      num(g.n, {'data-field': 'n'}), num(g.events, {'data-field': 'events'}), h('td', {'data-field': 'median'}, median(g.median)),
      ...times.map(t => {
        const e = g.estimates.find(x => x.day === t);
        return !e || !e.estimable ? num('not estimable', {'data-day': t})
          : num(pctCi(e.survival, e.lower, e.upper), {'data-day': t, 'data-value': e.survival});
      }));
  };
  const rows = [rowOf(a.overall, 'All episodes'), ...(a.groupBy ? a.groups.map(g => rowOf(g, g.level)) : [])];
  table('km-estimates', head, [h('tbody', {}, rows)]);
  renderSummaries(a);
  renderTests(a, s);
}

const testName = rho => rho === 0 ? 'Log-rank' : rho === 1 ? 'Peto–Peto' : `G-rho (rho = ${rho})`;

/** The comparison under the curves: the G-rho test asked for (log-rank by default). */
function comparisonText(a) {
  const c = a.comparison;
  if (!c) {
    return null;
  }
  const name = testName(a.rho);
  if (c.suppressed || a.tests?.suppressed) {
    return `${name} test withheld: ${c.suppressionReason || a.tests.suppressionReason}`;
  }
  const g = a.tests?.gRho || c;
  return `${name} ${pPhrase(g.p)} (χ² = ${fixed(g.chiSquare, 2)}, df = ${g.df})`;
}

const quantileName = p => `Time to ${+(p * 100).toFixed(1)}% events`;

/** Per group: median follow-up, the survival-time quantiles and the RMST, each with its CI or SE. */
function renderSummaries(a) {
  const tau = a.tau;
  const head = [th('Group'), th('Median follow-up, days (95% CI)', {class: 'num'}),
    ...a.probs.map(p => th(quantileName(p) + ', days (95% CI)', {class: 'num'})),
    tau ? th(`RMST to day ${tau} (${+(tau / DAYS_PER_YEAR).toFixed(2)} y), days (SE)`, {class: 'num'}) : null];
  const rowOf = (g, name) => {
    if (g.suppressed) {
      return h('tr', {'data-group': name}, h('th', {scope: 'row'}, name),
        h('td', {colspan: 1 + a.probs.length + (tau ? 1 : 0), class: 'withheld'}, 'withheld: ' + g.suppressionReason));
    }
    const f = g.medianFollowUp || {};
    return h('tr', {'data-group': name}, h('th', {scope: 'row'}, name),
      num(valCi('medianFollowUp/', ['days', f.days], ['lower', f.lower], ['upper', f.upper], 0)),
      ...a.probs.map((p, i) => {
        const q = (g.quantiles || [])[i] || {};
        return num(valCi(`quantiles/${i}/`, ['days', q.days], ['lower', q.lower], ['upper', q.upper], 0));
      }),
      tau ? num([val('rmst/mean', g.rmst?.mean, 1), ' (', val('rmst/stdErr', g.rmst?.stdErr, 1), ')']) : null);
  };
  const rows = [rowOf(a.overall, 'All episodes'), ...(a.groupBy ? a.groups.map(g => rowOf(g, g.level)) : [])];
  table('km-summaries', head, [h('tbody', {}, rows)]);
}

function statTable(id, caption, head, rows) {
  return h('div', {class: 'table-wrap'}, h('table', {class: 'data', id},
    h('caption', {}, caption), h('thead', {}, h('tr', {}, head)), h('tbody', {}, rows)));
}

/** The tests panel: the G-rho test, stratified, trend (ordered levels only), pairwise with the chosen adjustment, RMST differences. */
function renderTests(a, s) {
  const body = $('km-tests-body');
  const t = a.tests;
  if (!a.groupBy) {
    body.replaceChildren(h('p', {class: 'help'}, 'Group the curves by a factor to compare its levels.'));
    return;
  }
  if (!t) {
    body.replaceChildren(h('p', {class: 'help'}, `Fewer than two levels of ${factorLabel(a.groupBy)} to compare.`));
    return;
  }
  if (t.suppressed) {
    body.replaceChildren(h('p', {class: 'withheld', 'data-withheld': ''}, 'Tests withheld: ' + t.suppressionReason));
    return;
  }
  const name = testName(a.rho);
  const chi = (key, x) => [num(val(key + '/chiSquare', x.chiSquare, 2)), num(val(key + '/df', x.df, 0)), num(val(key + '/p', x.p, 'p'))];
  const rows = [h('tr', {'data-test': 'gRho'}, h('th', {scope: 'row'}, `${name} test of ${factorLabel(a.groupBy)}`), ...chi('gRho', t.gRho))];
  if (t.stratified) {
    rows.push(h('tr', {'data-test': 'stratified'}, h('th', {scope: 'row'},
      `${name} test stratified by ${factorLabel(t.stratified.strataBy)} (${t.stratified.strata.length} strata)`), ...chi('stratified', t.stratified)));
  } else if (a.strataBy) {
    rows.push(h('tr', {}, h('th', {scope: 'row'}, `Stratified by ${factorLabel(a.strataBy)}`),
      h('td', {colspan: 3, class: 'withheld'}, 'not computable: fewer than two groups within the strata')));
  }
  if (t.trend && ORDERED_FACTORS.has(a.groupBy)) {
    rows.push(h('tr', {'data-test': 'trend'}, h('th', {scope: 'row'}, `Test for trend over the ordered levels (scores ${t.trend.scores.join(', ')})`),
      ...chi('trend', t.trend)));
  }
  const out = [statTable('km-tests-table', `Tests of ${endpointOf(a)} by ${factorLabel(a.groupBy)}`,
    [th('Test'), th('χ²', {class: 'num'}), th('df', {class: 'num'}), th('p', {class: 'num'})], rows)];
  const observed = t.gRho.levels.map((l, i) => h('tr', {'data-level': l.level}, h('th', {scope: 'row'}, l.level), num(val(`gRho/levels/${i}/n`, l.n, 0)),
    num(val(`gRho/levels/${i}/observed`, l.observed, 2)), num(val(`gRho/levels/${i}/expected`, l.expected, 2))));
  out.push(statTable('km-observed', `Observed and expected events, ${name} test${a.rho ? ' (weighted)' : ''}`,
    [th('Level'), th('n', {class: 'num'}), th('Observed', {class: 'num'}), th('Expected', {class: 'num'})], observed));
  if (t.pairwise?.length) {
    const [key, adjustName] = ADJUSTMENTS[s.adjust] || ADJUSTMENTS.holm;
    out.push(statTable('km-pairwise', `Pairwise ${name} tests, p adjusted by ${adjustName}'s method`,
      [th('Comparison'), th('χ²', {class: 'num'}), th('p', {class: 'num'}), th(`p (${adjustName})`, {class: 'num'})],
      t.pairwise.map((c, i) => h('tr', {'data-pair': i}, h('th', {scope: 'row'}, `${c.first} vs ${c.second}`),
        num(val(`pairwise/${i}/chiSquare`, c.chiSquare, 2)), num(val(`pairwise/${i}/p`, c.p, 'p')), num(val(`pairwise/${i}/${key}`, c[key], 'p'))))));
  }
  if (t.rmstDifferences?.length) {
    out.push(statTable('km-rmst-differences', `Differences in RMST to day ${a.tau} against ${t.rmstDifferences[0].reference}`,
      [th('Level'), th('Difference, days', {class: 'num'}), th('SE', {class: 'num'}), th('p', {class: 'num'})],
      t.rmstDifferences.map((d, i) => h('tr', {'data-rmst-difference': i}, h('th', {scope: 'row'}, `${d.level} − ${d.reference}`),
        num(val(`rmstDifferences/${i}/difference`, d.difference, 1)), num(val(`rmstDifferences/${i}/stdErr`, d.stdErr, 1)),
        num(val(`rmstDifferences/${i}/p`, d.p, 'p'))))));
  }
  body.replaceChildren(...out);
}

const endpointOf = a => (ENDPOINT_NAMES[a.endpoint] || a.endpoint).toLowerCase();

/** The curves view as one tidy CSV: a row per curve step, estimate, quantile, follow-up, RMST and test, named by section. */
function survivalCsv(a) {
  const columns = ['section', 'group', 'item', 'day', 'at_risk', 'events', 'censored', 'estimate', 'std_err', 'lower', 'upper',
    'cumulative_hazard', 'cumulative_hazard_std_err', 'chi_square', 'df', 'p', 'p_holm', 'p_bonferroni', 'withheld_reason'];
  const rows = [columns];
  const add = o => rows.push(columns.map(c => o[c]));
  const groups = [{...a.overall, level: 'All episodes'}, ...(a.groupBy ? a.groups : [])];
  for (const g of groups) {
    const group = g.level;
    if (g.suppressed) {
      add({section: 'group', group, withheld_reason: g.suppressionReason});
      continue;
    }
    add({section: 'group', group, events: g.events, item: 'n', estimate: g.n});
    for (const r of g.table) {
      add({section: 'curve', group, day: r.day, at_risk: r.atRisk, events: r.events, censored: r.censored, estimate: r.survival,
        std_err: r.stdErr, lower: r.lower, upper: r.upper, cumulative_hazard: r.cumulativeHazard, cumulative_hazard_std_err: r.cumulativeHazardStdErr});
    }
    for (const e of g.estimates) {
      add({section: 'survival_at', group, day: e.day, at_risk: e.atRisk, events: e.eventsSoFar, estimate: e.survival, std_err: e.stdErr,
        lower: e.lower, upper: e.upper, withheld_reason: e.estimable ? null : 'not estimable beyond the last follow-up'});
    }
    if (g.median) add({section: 'median', group, estimate: g.median.days, lower: g.median.lower, upper: g.median.upper});
    if (g.medianFollowUp) add({section: 'median_follow_up', group, estimate: g.medianFollowUp.days, lower: g.medianFollowUp.lower,
      upper: g.medianFollowUp.upper});
    for (const q of g.quantiles || []) add({section: 'quantile', group, item: q.probability, estimate: q.days, lower: q.lower, upper: q.upper});
    if (g.rmst) add({section: 'rmst', group, day: g.rmst.tau, estimate: g.rmst.mean, std_err: g.rmst.stdErr});
  }
  const t = a.tests;
  if (t?.suppressed) {
    add({section: 'tests', withheld_reason: t.suppressionReason});
  } else if (t) {
    const test = (section, item, x) => add({section, item, chi_square: x.chiSquare, df: x.df, p: x.p});
    test('test', testName(a.rho), t.gRho);
    t.gRho.levels.forEach(l => add({section: 'test_observed_expected', group: l.level, item: testName(a.rho), at_risk: l.n,
      events: l.observed, estimate: l.expected}));
    if (t.stratified) test('test_stratified', `${testName(a.rho)} stratified by ${t.stratified.strataBy}`, t.stratified);
    if (t.trend) test('test_trend', 'trend over scores ' + t.trend.scores.join(' '), t.trend);
    (t.pairwise || []).forEach(c => add({section: 'test_pairwise', item: `${c.first} vs ${c.second}`, chi_square: c.chiSquare, df: 1, p: c.p,
      p_holm: c.pHolm, p_bonferroni: c.pBonferroni}));
    (t.rmstDifferences || []).forEach(d => add({section: 'rmst_difference', group: d.level, item: 'minus ' + d.reference, day: d.tau,
      estimate: d.difference, std_err: d.stdErr, p: d.p}));
  }
  return csv(rows);
}

// ---------------------------------------------------------------- predictors

function renderPredictors(p) {
  const estimates = p.predictors.flatMap(f => f.levels).filter(l => l.hazardRatio !== null && l.hazardRatio !== undefined);
  const range = forestRange(estimates);
  const ci = Math.round(p.confLevel * 100);
  const head = [th('Factor / level'), th('n / events', {class: 'num'}), th(`HR (${ci}% CI)`, {class: 'num'}), th('Wald p', {class: 'num'}),
    h('th', {scope: 'col', class: 'forest'}, h('span', {class: 'sr-only'}, 'Forest plot, hazard ratio on a log scale'), forestAxis(range))];
  const bodies = p.predictors.map(f => {
    const summary = f.suppressed ? 'withheld: ' + f.suppressionReason : f.note ? f.note
      : !known(f.logRankP) ? '' : 'log-rank ' + pPhrase(f.logRankP);
    const rows = [h('tr', {'data-factor': f.factor}, h('th', {scope: 'rowgroup', colspan: 5}, f.label,
      summary ? h('span', {class: 'muted'}, ' — ' + summary) : null))];
    for (const l of f.levels) {
      const hasHr = l.hazardRatio !== null && l.hazardRatio !== undefined;
      const estimate = l.suppressed ? 'withheld' : l.level === f.reference ? 'reference'
        : hasHr ? `${fixed(l.hazardRatio, 2)} (${fixed(l.lower, 2)}–${fixed(l.upper, 2)})` : label(l.estimate);
      rows.push(h('tr', {'data-factor': f.factor, 'data-level': l.level},
        h('th', {scope: 'row', class: 'level'}, l.level),
        num(l.suppressed ? '—' : `${l.n} / ${l.events}`),
        num(estimate, {'data-hr': hasHr ? l.hazardRatio : null}),
        num(l.suppressed ? '' : pValue(l.waldP)),
        h('td', {class: 'forest'}, forestCell(hasHr ? l : null, range,
          hasHr ? `${l.level}: hazard ratio ${fixed(l.hazardRatio, 2)}, ${ci}% CI ${fixed(l.lower, 2)} to ${fixed(l.upper, 2)}`
            : `${l.level}: ${estimate}`))));
    }
    return h('tbody', {}, rows);
  });
  table('predictors-table', head, bodies);
}

// ---------------------------------------------------------------- cohort summary

const SUMMARY_ROWS = [
  ['episodesPerPatient', 'Episodes per patient'], ['episodeType', 'Episode type'], ['episodeOrder', 'Episode order'],
  ['mycnStatus', 'MYCN status'], ['lymphNodeMetastases', 'Lymph-node metastases'], ['biopsy', 'Biopsy'],
  ['molecularProfiling', 'Molecular profiling'], ['trialEnrolment', 'Clinical-trial enrolment'], ['bestResponse', 'Best overall response (INRC 2017)'],
];

/** The summary as rows of [section, characteristic, count, percent] (null for withheld), in the study's table order. */
function summaryRows(c) {
  const rows = [];
  const count = (section, level, x) => rows.push([section, level, x]);
  count('Cohort', 'Patients', c.patients);
  count('Cohort', 'Episodes', c.episodes);
  for (const [key, section] of SUMMARY_ROWS.slice(0, 4)) (c[key] || []).forEach(x => count(section, label(x.level), x));
  (c.metastaticSites || []).forEach(m => count('Metastatic sites', label(m.site), m.episodes));
  for (const [key, section] of SUMMARY_ROWS.slice(4)) (c[key] || []).forEach(x => count(section, label(x.level), x));
  (c.treatmentUse || []).forEach(t => count('Treatment received', t.label || label(t.category), t.used));
  if (c.responseRate) count('Rates', `Response rate (${c.responseRate.responses.join(', ')})`, c.responseRate.count);
  if (c.diseaseControlRate) count('Rates', `Disease control (${c.diseaseControlRate.responses.join(', ')})`, c.diseaseControlRate.count);
  if (c.secondMalignancies) count('Subsequent malignancies', 'Patients with one', c.secondMalignancies);
  (c.sites || []).forEach(x => count('Sites (episodes)', x.site, x.episodes));
  return rows;
}

const countText = x => !x ? '—' : x.suppressed ? 'withheld' : x.percent === null || x.percent === undefined
  ? String(x.count) : `${x.count} (${x.percent.toFixed(1)}%)`;

function renderSummary(c) {
  const sections = new Map();
  for (const [section, level, x] of summaryRows(c)) {
    if (!sections.has(section)) sections.set(section, []);
    sections.get(section).push(h('tr', {'data-section': section, 'data-level': level},
      h('th', {scope: 'row', class: 'level'}, level),
      num(countText(x), {class: x?.suppressed ? 'num withheld' : 'num', title: x?.suppressed ? x.suppressionReason : null,
        'data-count': x && !x.suppressed ? x.count : null})));
  }
  const bodies = [...sections].map(([section, rows]) =>
    h('tbody', {}, h('tr', {}, h('th', {scope: 'rowgroup', colspan: 2}, section)), rows));
  table('summary-table', [th('Characteristic'), th('Episodes, n (%)', {class: 'num'})], bodies);
}

// ---------------------------------------------------------------- competing risks

function renderCompeting(cr, s) {
  const groups = cr.groupBy ? cr.groups : [{...cr.overall, level: 'All episodes'}];
  const drawn = groups.filter(g => !g.suppressed);
  const notes = groups.filter(g => g.suppressed).map(g => `Not drawn: ${g.level} — ${g.suppressionReason}`);
  if (s.band) notes.push(`Shaded: pointwise ${Math.round(cr.confLevel * 100)}% confidence band.`);
  notes.push('Line style: one per cause (solid, dashed, dotted); colour: one per group.');
  const series = drawn.flatMap((g, gi) => g.causes.map((c, ci) => ({
    label: (cr.groupBy ? g.level + ': ' : '') + label(c.cause), group: `${g.level}|${c.cause}`, ...seriesStyle(gi, ci),
    rows: c.table.map(r => ({day: r.day, value: r.cumulativeIncidence, lower: r.lower, upper: r.upper})),
    data: {'data-events': c.events},
  })));
  const tests = (cr.tests || []).map(t => t.suppressed ? `Gray's test (${label(t.cause)}) withheld: ${t.suppressionReason}`
    : `Gray's test (${label(t.cause)}) ${pPhrase(t.p)}`);
  const title = 'Cumulative incidence of the first event after the episode' + (cr.groupBy ? ' by ' + factorLabel(cr.groupBy) : '');
  const svg = stepChart({
    id: 'cif-chart', title, subtitle: [`${cohortText(s)} · dataset version ${cr.datasetVersion}`],
    yLabel: 'Cumulative incidence', series, start: 0, unit: s.unit, band: s.band, censorMarks: false, curveClass: 'cif-curve',
    riskRows: drawn.map((g, gi) => ({label: g.level, colour: seriesStyle(gi).colour, rows: g.causes[0]?.table || []})),
    testResult: tests.join(' · '), notes,
    description: title + '. ' + drawn.map(g => `${g.level}: ${g.n} episodes; ` + g.causes.map(c => `${label(c.cause)} ${c.events} events`).join(', ')).join('; '),
  });
  $('cif-figure').replaceChildren(svg);
  $('cif-tests').textContent = tests.join(' · ');
  const head = [th('Group'), th('Cause'), th('Events', {class: 'num'}),
    ...cr.times.map(t => th(`at ${+(t / DAYS_PER_YEAR).toFixed(2)} y (day ${t}), % (95% CI)`, {class: 'num'}))];
  const rows = groups.flatMap(g => g.suppressed
    ? [h('tr', {}, h('th', {scope: 'row'}, g.level), h('td', {colspan: 2 + cr.times.length, class: 'withheld'}, 'withheld: ' + g.suppressionReason))]
    : g.causes.map(c => h('tr', {}, h('th', {scope: 'row'}, g.level), h('td', {}, label(c.cause)), num(c.events),
      ...cr.times.map(t => {
        const e = c.estimates.find(x => x.day === t);
        return !e || !e.estimable ? num('not estimable') : num(pctCi(e.cumulativeIncidence, e.lower, e.upper));
      }))));
  table('cif-estimates', head, [h('tbody', {}, rows)]);
}

// ---------------------------------------------------------------- multivariable Cox model

function modelPath() {
  const form = $('model-form');
  const s = settings();
  const terms = [...form.querySelectorAll('input[name=term]:checked')].map(i => i.value);
  if (!terms.length) {
    return null;
  }
  const q = cohortParams(s, {landmark: true});
  q.set('endpoint', s.endpoint);
  q.set('terms', terms.join(','));
  const a = $('model-int-a').value, b = $('model-int-b').value;
  if (a && b && a !== b) q.set('interaction', `${a}:${b}`);
  if ($('model-strata').value) q.set('strata', $('model-strata').value);
  if ($('model-cluster').checked) q.set('cluster', 'patient');
  q.set('ties', $('model-ties').value);
  return '/v1/models/cox?' + q;
}

async function fitModel() {
  const message = $('model-message');
  const path = modelPath();
  if (!path) {
    return;
  }
  try {
    state.data.model = await state.api.json(path);
    message.textContent = '';
    renderModel(state.data.model);
  } catch (e) {
    state.data.model = null;
    $('model-result').replaceChildren();
    message.textContent = 'The model could not be fitted: ' + e.message;
  }
}

const termLabel = term => term.split(':').map(factorLabel).join(' × ');
const ESTIMATES = {diverging: 'diverging (monotone likelihood: no finite estimate)', aliased: 'aliased (not estimable from these data)',
  not_estimable: 'not estimable (no events)'};

function renderModel(m) {
  const out = [];
  const withheld = m.n === null || m.n === undefined;
  out.push(h('p', {id: 'model-counts'}, `${ENDPOINT_NAMES[m.endpoint] || m.endpoint}: `,
    withheld ? 'n, events and dropped rows withheld (disclosure control)'
      : ['n = ', val('n', m.n, 0), ' episodes, ', val('events', m.events, 0), ' events, ', val('droppedForMissing', m.droppedForMissing, 0),
        ' dropped for missing values (listwise)'],
    `; ties ${m.ties === 'efron' ? 'Efron' : 'Breslow'}`
    + (m.strataBy ? `; stratified by ${factorLabel(m.strataBy)} (${m.strata.length} strata)` : '')
    + (m.cluster ? '; robust standard errors clustered by patient' : '') + `; dataset version ${m.datasetVersion}.`));
  if (m.suppressed) {
    out.push(h('p', {class: 'message'}, 'Withheld: ' + m.suppressed));
  }
  const ci = Math.round((m.confLevel ?? 0.95) * 100);
  const coefficientRow = (c, i) => {
    const head = [h('th', {scope: 'row'}, termLabel(c.term)), h('td', {}, c.level ?? '')];
    const attrs = {'data-term': c.term, 'data-level': c.level ?? '', 'data-index': i};
    if (c.suppressed) {
      return h('tr', attrs, head, h('td', {colspan: 6, class: 'withheld'}, 'withheld: ' + c.suppressionReason));
    }
    if (c.estimate !== 'estimated') {
      return h('tr', attrs, head, h('td', {colspan: 6, class: 'withheld'}, ESTIMATES[c.estimate] || label(c.estimate)));
    }
    return h('tr', attrs, head, num(val('coefficient', c.coefficient, 4)), num(val('stdErr', c.stdErr, 4)),
      num(m.cluster ? val('robustStdErr', c.robustStdErr, 4) : '—'), num(val('z', c.z, 3)), num(val('p', c.p, 'p')),
      num(valCi('', ['hazardRatio', c.hazardRatio], ['lower95', c.lower95], ['upper95', c.upper95], 2)));
  };
  out.push(statTable('model-coefficients', `Coefficients (log hazard ratios) and hazard ratios with ${ci}% CI`
      + (m.cluster ? '; z, p and the CI use the robust SE' : ''),
    [th('Term'), th('Level'), th('coef', {class: 'num'}), th('SE', {class: 'num'}), th('robust SE', {class: 'num'}), th('z', {class: 'num'}),
      th('p', {class: 'num'}), th(`HR (${ci}% CI)`, {class: 'num'})],
    (m.coefficients || []).map(coefficientRow)));
  const tests = m.tests || {};
  const testRow = (key, name) => h('tr', {'data-test': key}, h('th', {scope: 'row'}, name),
    num(val('statistic', tests[key].statistic, 3)), num(val('df', tests[key].df, 0)), num(val('p', tests[key].p, 'p')));
  const testRows = [['likelihoodRatio', 'Likelihood ratio'], ['wald', m.cluster ? 'Wald (robust)' : 'Wald'], ['score', 'Score (log-rank)'],
    ['robustScore', 'Robust score']].filter(([key]) => tests[key]).map(([key, name]) => testRow(key, name));
  const c = m.concordance || {};
  testRows.push(h('tr', {'data-test': 'concordance'}, h('th', {scope: 'row'}, 'Concordance (SE)'),
    num([val('value', c.value, 3), ' (', val('stdErr', c.stdErr, 3), ')']), num(''), num('')));
  out.push(statTable('model-tests', 'Whole-model tests and concordance' + (m.suppressed ? ' (withheld with the withheld terms: —)' : ''),
    [th('Test'), th('χ²', {class: 'num'}), th('df', {class: 'num'}), th('p', {class: 'num'})], testRows));
  if (m.proportionalHazards?.length) {
    out.push(statTable('model-zph', 'Proportional-hazards check (scaled Schoenfeld residuals, km transform, as R\'s cox.zph)',
      [th('Term'), th('χ²', {class: 'num'}), th('df', {class: 'num'}), th('p', {class: 'num'})],
      m.proportionalHazards.map((t, i) => h('tr', {'data-zph': i}, h('th', {scope: 'row'}, t.term === 'GLOBAL' ? 'Global' : termLabel(t.term)),
        num(val('chisq', t.chisq, 3)), num(val('df', t.df, 0)), num(val('p', t.p, 'p'))))));
  }
  $('model-result').replaceChildren(...out);
}

// ---------------------------------------------------------------- downloads

function save(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const a = h('a', {href: url, download: fileName});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function csv(rows) {
  const cell = v => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(text) ? '"' + text.replaceAll('"', '""') + '"' : text;
  };
  return rows.map(r => r.map(cell).join(',')).join('\n') + '\n';
}

async function download(kind) {
  const s = settings();
  const v = state.shownVersion;
  const svgFile = id => new Blob([serialize($(id).querySelector('svg'))], {type: 'image/svg+xml'});
  try {
    switch (kind) {
      case 'survival-csv': {
        const a = state.data.survival;
        return save(new Blob([survivalCsv(a)], {type: 'text/csv'}),
          `survival-${a.endpoint}${a.groupBy ? '-by-' + a.groupBy : ''}-v${a.datasetVersion}.csv`);
      }
      case 'survival-svg': {
        const r = await state.api.blob(survivalPath(s, {format: 'svg', ciBand: String(s.band), timeUnit: s.unit}), 'image/svg+xml');
        return save(r.blob, `survival-${s.endpoint}${s.groupBy ? '-by-' + s.groupBy : ''}-v${v}.svg`);
      }
      case 'survival-svg-shown':
        return save(svgFile('km-figure'), `survival-${s.endpoint}${s.groupBy ? '-by-' + s.groupBy : ''}-${s.unit}-v${v}.svg`);
      case 'predictors-csv': {
        const r = await state.api.blob(predictorsPath(s, {format: 'csv'}), 'text/csv');
        return save(r.blob, r.fileName || `predictors-${s.endpoint}-v${v}.csv`);
      }
      case 'predictors-svg': {
        const r = await state.api.blob(predictorsPath(s, {format: 'svg'}), 'image/svg+xml');
        return save(r.blob, `predictors-${s.endpoint}-v${v}.svg`);
      }
      case 'competing-csv': {
        const r = await state.api.blob(competingPath(s, {format: 'csv'}), 'text/csv');
        return save(r.blob, r.fileName || `competing-risks-v${v}.csv`);
      }
      case 'competing-svg-shown':
        return save(svgFile('cif-figure'), `competing-risks${s.groupBy ? '-by-' + s.groupBy : ''}-${s.unit}-v${v}.svg`);
      case 'summary-csv': {
        const rows = [['section', 'characteristic', 'count', 'percent', 'withheld_reason'],
          ...summaryRows(state.data.summary).map(([section, level, x]) =>
            [section, level, x && !x.suppressed ? x.count : '', x && !x.suppressed ? x.percent ?? '' : '', x?.suppressed ? x.suppressionReason : ''])];
        return save(new Blob([csv(rows)], {type: 'text/csv'}), `cohort-summary-v${state.data.summary.datasetVersion}.csv`);
      }
      case 'model-csv': {
        const m = state.data.model;
        if (!m) {
          $('model-message').textContent = 'Fit a model first: there is nothing to download yet.';
          return;
        }
        const t = m.tests || {};
        const rows = [['section', 'term', 'level', 'estimate', 'coefficient', 'std_err', 'robust_std_err', 'z', 'statistic', 'df', 'p',
          'hazard_ratio', 'lower95', 'upper95', 'withheld_reason'],
          ['model', '', '', '', '', '', '', '', '', '', '', '', '', '', m.suppressed || ''],
          ['n', '', '', m.n], ['events', '', '', m.events], ['dropped_for_missing', '', '', m.droppedForMissing],
          ...(m.coefficients || []).map(c => ['coefficient', c.term, c.level, c.estimate, c.coefficient, c.stdErr, c.robustStdErr, c.z, '', '',
            c.p, c.hazardRatio, c.lower95, c.upper95, c.suppressed ? c.suppressionReason : '']),
          ...['likelihoodRatio', 'wald', 'score', 'robustScore'].filter(k => t[k]).map(k => ['test_' + k, '', '', '', '', '', '', '',
            t[k].statistic, t[k].df, t[k].p]),
          ['concordance', '', '', m.concordance?.value, '', m.concordance?.stdErr],
          ...(m.proportionalHazards || []).map(z => ['cox_zph', z.term, '', '', '', '', '', '', z.chisq, z.df, z.p])];
        return save(new Blob([csv(rows)], {type: 'text/csv'}), `cox-model-${m.endpoint}-v${m.datasetVersion}.csv`);
      }
    }
  } catch (e) {
    showError(`The download failed: ${e.message}`);
  }
}

// ---------------------------------------------------------------- wiring

$('sign-in-form').addEventListener('submit', e => {
  e.preventDefault();
  signIn($('token').value);
});
$('sign-out').addEventListener('click', signOut);
$('controls').addEventListener('submit', e => {
  e.preventDefault();
  reload();
});
$('controls').addEventListener('change', e => {
  // The time unit, the band and the p adjustment only change the drawing; everything else is a new question to the API.
  if (e.target.name === 'timeUnit' || e.target.name === 'ciBand' || e.target.name === 'adjust') {
    render();
  } else if (e.target.type !== 'text' && e.target.tagName !== 'TEXTAREA') {
    reload();
  }
});
$('model-form').addEventListener('submit', async e => {
  e.preventDefault();
  const path = modelPath();
  if (!path) {
    $('model-message').textContent = 'Choose at least one term.';
    return;
  }
  state.modelAsked = true;
  $('model-message').textContent = 'Fitting…';
  await fitModel();
});
document.addEventListener('click', e => {
  const button = e.target.closest('[data-download]');
  if (button) {
    download(button.dataset.download);
  }
});
setInterval(tick, 1000);

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
  signIn(saved);
} else {
  $('token').focus();
}
