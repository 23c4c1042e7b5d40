/**
 * The dashboard's pipelines list (a fragment of the page's script, inside its closure: it uses
 * `api` and `$`). Each pipeline shows its status, its count of ended steps, and each step's state
 * and dependencies; it is loaded from `pipelines` and kept live by the `pipeline` events of the
 * page's one `/events` stream. Text is set with `textContent` only.
 */
export const PIPELINES_SCRIPT = String.raw`
  var pipelines = new Map();
  var pipelinesScheduled = false;

  function loadPipelines() {
    return api('pipelines?limit=200').then(function (r) { return r.ok ? r.json() : { pipelines: [] }; }).then(function (body) {
      body.pipelines.forEach(function (p) { pipelines.set(p.id, p); });
      renderPipelines();
    });
  }

  function refreshPipeline(id) {
    return api('pipelines/' + encodeURIComponent(id)).then(function (r) { return r.ok ? r.json() : null; }).then(function (p) {
      if (p) { pipelines.set(id, p); renderPipelines(); }
    });
  }

  function onPipelineEvent(event) {
    var p = pipelines.get(event.pipelineId);
    if (!p) { refreshPipeline(event.pipelineId); return; }
    p.status = event.status;
    p.summary = event.summary;
    if (event.step) {
      p.steps.forEach(function (step) { if (step.key === event.step.key) step.status = event.step.status; });
    }
    renderPipelines();
  }

  function renderPipelines() {
    if (pipelinesScheduled) return;
    pipelinesScheduled = true;
    requestAnimationFrame(function () {
      pipelinesScheduled = false;
      var list = $('pipelines');
      var fragment = document.createDocumentFragment();
      Array.from(pipelines.values()).reverse().forEach(function (p) {
        var item = document.createElement('li');
        item.dataset.id = p.id;
        var title = document.createElement('div');
        var ended = p.summary.total - p.summary.pending - p.summary.queued - p.summary.running;
        var status = document.createElement('span');
        status.className = 'status status-' + p.status;
        status.textContent = p.status;
        title.append(p.id + ' ', status, ' ' + ended + '/' + p.summary.total + ' steps ended' + (p.group ? ' · ' + p.group : ''));
        var steps = document.createElement('ul');
        steps.setAttribute('aria-label', 'Steps of ' + p.id);
        p.steps.forEach(function (step) {
          var li = document.createElement('li');
          li.dataset.step = step.key;
          var state = document.createElement('span');
          state.className = 'status status-' + step.status;
          state.textContent = step.status;
          li.append(step.key + ' ', state);
          if (step.dependsOn.length > 0) li.append(' after ' + step.dependsOn.join(', '));
          steps.appendChild(li);
        });
        item.append(title, steps);
        fragment.appendChild(item);
      });
      list.replaceChildren(fragment);
      $('pipelines-section').hidden = pipelines.size === 0;
    });
  }
`;
