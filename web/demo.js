// Set before or after the widget loads: the widget reads window.Baton.onHandoff when a handoff happens.
window.Baton = window.Baton || {};
window.Baton.onHandoff = function (handoff, kind) {
  var log = document.getElementById('demo-handoff-log');
  var entry = new Date().toLocaleTimeString() + (kind ? '  ' + kind : '') + '\n' + JSON.stringify(handoff, null, 2);
  log.textContent = log.textContent === 'No handoff yet.' ? entry : entry + '\n\n' + log.textContent;
};
