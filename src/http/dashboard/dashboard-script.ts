import { PIPELINES_SCRIPT } from './dashboard-pipelines.js';

/**
 * The dashboard's script (inline, plain ES2020, no build step). One `/events` stream per tab keeps
 * the list live; the selected execution's output streams from its own route and is drawn windowed
 * (only the visible lines are in the DOM), so 100,000 lines stay responsive.
 */
export const DASHBOARD_SCRIPT = String.raw`
'use strict';
(function () {
  var KEY = 'execution-engine-token';
  var LINE_HEIGHT = 18;
  var LIST_TYPES = 'queued,started,retrying,progress,completed,failed,timeout,cancelled,recovered,pipeline';
  var LIVE = { queued: true, running: true };
  var $ = function (id) { return document.getElementById(id); };
  var executions = new Map();
  var selected = null;
  var output = { id: null, texts: [], streams: [], abort: null, scheduled: false };

  var params = new URLSearchParams(location.search);
  if (params.has('access_token')) {
    sessionStorage.setItem(KEY, params.get('access_token'));
    params.delete('access_token');
    var rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }
  var token = sessionStorage.getItem(KEY);

  function api(path, init) {
    init = init || {};
    var headers = new Headers(init.headers || {});
    if (token) headers.set('authorization', 'Bearer ' + token);
    init.headers = headers;
    return fetch(path, init).then(function (response) {
      if (response.status === 401) { askToken('The token was refused'); throw new Error('unauthorized'); }
      return response;
    });
  }

  function askToken(message) {
    sessionStorage.removeItem(KEY);
    token = null;
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('token').focus();
  }

  $('login').addEventListener('submit', function (event) {
    event.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem(KEY, token);
    start();
  });

  function readSse(response, onMessage, signal) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = '';
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done || (signal && signal.aborted)) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        var end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          var block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          var type = 'message', data = null, id = null;
          block.split('\n').forEach(function (line) {
            if (line.indexOf('event: ') === 0) type = line.slice(7);
            else if (line.indexOf('data: ') === 0) data = line.slice(6);
            else if (line.indexOf('id: ') === 0) id = line.slice(4);
          });
          if (data !== null) onMessage(type, JSON.parse(data), id);
        }
        return pump();
      });
    }
    return pump();
  }

  function commandText(command) {
    if (!command) return '';
    return [command.file].concat(command.args || []).join(' ');
  }

  function duration(e) {
    if (!e.startedAt) return '';
    var end = e.completedAt ? Date.parse(e.completedAt) : Date.now();
    var ms = Math.max(0, end - Date.parse(e.startedAt));
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }

  function matches(e) {
    var status = $('filter-status').value, group = $('filter-group').value;
    var text = $('filter-text').value.trim().toLowerCase();
    if (status && e.status !== status) return false;
    if (group && e.group !== group) return false;
    if (text && (e.id + ' ' + commandText(e.command)).toLowerCase().indexOf(text) === -1) return false;
    return true;
  }

  var renderScheduled = false;
  function renderList() {
    if (renderScheduled) return;
    renderScheduled = true;
    requestAnimationFrame(function () {
      renderScheduled = false;
      var rows = $('rows');
      var fragment = document.createDocumentFragment();
      var groups = new Set();
      Array.from(executions.values()).reverse().forEach(function (e) {
        if (e.group) groups.add(e.group);
        if (!matches(e)) return;
        var tr = document.createElement('tr');
        tr.tabIndex = 0;
        tr.dataset.id = e.id;
        tr.setAttribute('aria-selected', String(e.id === selected));
        tr.setAttribute('aria-label', 'Execution ' + e.id + ', ' + e.status);
        var cells = [e.status, null, e.group || '', commandText(e.command), duration(e)];
        cells.forEach(function (text, i) {
          var td = document.createElement('td');
          if (i === 0) td.className = 'status status-' + e.status;
          if (i === 3) { td.className = 'command'; td.title = text; }
          if (i === 1) {
            var p = e.progress;
            if (p && typeof p.percent === 'number') {
              var bar = document.createElement('progress');
              bar.max = 100; bar.value = p.percent;
              bar.setAttribute('aria-label', 'Progress ' + Math.round(p.percent) + '%');
              td.appendChild(bar);
            }
            if (p && p.message) td.appendChild(document.createTextNode(' ' + p.message));
          } else {
            td.textContent = text;
          }
          tr.appendChild(td);
        });
        fragment.appendChild(tr);
      });
      rows.replaceChildren(fragment);
      var groupSelect = $('filter-group');
      var current = groupSelect.value;
      var known = Array.from(groupSelect.options).map(function (o) { return o.value; });
      groups.forEach(function (g) {
        if (known.indexOf(g) === -1) { var option = document.createElement('option'); option.textContent = g; option.value = g; groupSelect.appendChild(option); }
      });
      groupSelect.value = current;
      renderDetailHeader();
    });
  }

  function refresh(id) {
    return api('executions/' + encodeURIComponent(id)).then(function (r) { return r.ok ? r.json() : null; }).then(function (snapshot) {
      if (!snapshot) return;
      delete snapshot.stdout; delete snapshot.stderr;
      executions.set(id, snapshot);
      renderList();
    });
  }

${PIPELINES_SCRIPT}
  function onEvent(type, event) {
    if (type === 'pipeline') { onPipelineEvent(event); return; }
    var e = executions.get(event.executionId);
    if (!e) { refresh(event.executionId); return; }
    if (type === 'queued') e.status = 'queued';
    else if (type === 'started') { e.status = 'running'; e.startedAt = e.startedAt || new Date(event.timestamp).toISOString(); e.pid = event.pid; }
    else if (type === 'retrying') e.status = 'queued';
    else if (type === 'progress') e.progress = event.progress;
    else if (event.result) {
      var result = event.result;
      e.status = result.status; e.completedAt = result.completedAt; e.startedAt = result.startedAt || e.startedAt;
      e.exitCode = result.exitCode;
    }
    renderList();
  }

  function select(id) {
    selected = id;
    if (output.abort) output.abort.abort();
    output = { id: id, texts: [], streams: [], abort: new AbortController(), scheduled: false };
    $('detail').hidden = false;
    $('output').scrollTop = 0;
    drawOutput();
    renderList();
    var signal = output.abort.signal;
    var mine = output;
    api('executions/' + encodeURIComponent(id) + '/events', { signal: signal }).then(function (response) {
      return readSse(response, function (type, event) {
        if (type === 'output') {
          var stream = event.stream === 'stderr' ? 1 : 0;
          for (var i = 0; i < event.lines.length; i++) { mine.texts.push(event.lines[i]); mine.streams.push(stream); }
          scheduleOutput();
        }
      }, signal);
    }).catch(function () {});
  }

  function scheduleOutput() {
    if (output.scheduled) return;
    output.scheduled = true;
    requestAnimationFrame(function () { output.scheduled = false; drawOutput(); });
  }

  function drawOutput() {
    var box = $('output');
    var count = output.texts.length;
    var atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - LINE_HEIGHT * 2;
    $('spacer').style.height = count * LINE_HEIGHT + 'px';
    if (atBottom) box.scrollTop = box.scrollHeight;
    var first = Math.max(0, Math.floor(box.scrollTop / LINE_HEIGHT) - 20);
    var last = Math.min(count, first + Math.ceil(box.clientHeight / LINE_HEIGHT) + 40);
    var visible = $('visible');
    visible.style.top = first * LINE_HEIGHT + 'px';
    var fragment = document.createDocumentFragment();
    for (var i = first; i < last; i++) {
      var div = document.createElement('div');
      div.textContent = output.texts[i];
      if (output.streams[i] === 1) div.className = 'stderr';
      fragment.appendChild(div);
    }
    visible.replaceChildren(fragment);
    $('detail-lines').textContent = count + ' lines';
  }

  function renderDetailHeader() {
    var e = selected && executions.get(selected);
    if (!e) return;
    $('detail-title').textContent = 'Output of ' + e.id;
    $('detail-status').textContent = e.status;
    $('detail-status').className = 'status-' + e.status;
    $('cancel').disabled = !LIVE[e.status];
  }

  $('output').addEventListener('scroll', scheduleOutput, { passive: true });
  $('rows').addEventListener('click', function (event) {
    var tr = event.target.closest('tr');
    if (tr) select(tr.dataset.id);
  });
  $('rows').addEventListener('keydown', function (event) {
    var tr = event.target.closest('tr');
    if (!tr) return;
    if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); select(tr.dataset.id); }
    if (event.key === 'ArrowDown' && tr.nextElementSibling) tr.nextElementSibling.focus();
    if (event.key === 'ArrowUp' && tr.previousElementSibling) tr.previousElementSibling.focus();
  });
  $('cancel').addEventListener('click', function () {
    if (!selected) return;
    api('executions/' + encodeURIComponent(selected) + '/cancel', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"reason":"cancelled from the dashboard"}'
    }).catch(function () {});
  });
  ['filter-status', 'filter-group', 'filter-text'].forEach(function (id) { $(id).addEventListener('input', renderList); });
  setInterval(function () {
    for (var e of executions.values()) if (e.status === 'running') { renderList(); return; }
  }, 1000);

  var events = null;
  function connect() {
    if (events) events.abort();
    events = new AbortController();
    var signal = events.signal;
    api('events?types=' + LIST_TYPES, { signal: signal }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      $('connection').textContent = 'live';
      return readSse(response, onEvent, signal);
    }).catch(function () {}).then(function () {
      if (signal.aborted || !token) return;
      $('connection').textContent = 'reconnecting';
      setTimeout(function () { connect(); load(); }, 2000);
    });
  }

  function load() {
    return api('executions?limit=1000').then(function (r) { return r.json(); }).then(function (body) {
      body.executions.forEach(function (e) { executions.set(e.id, e); });
      renderList();
      return loadPipelines();
    });
  }

  function start() {
    if (!token) { askToken(''); return; }
    load().then(function () {
      $('login').hidden = true;
      $('app').hidden = false;
      connect();
    }).catch(function () {});
  }
  start();
})();
`;
