// connect-guard HTML report: filters and search over the server-rendered findings table.
// Embedded inline and allowed by its SHA-256 in the CSP. Reads its data from the JSON island
// and writes to the page with textContent and createElement only: every string in the data
// came from AWS and must stay text. The filter state lives in the URL fragment
// (#severity=high&account=…&q=…), so a filtered view can be linked and tested.
(function () {
  'use strict';
  var doc = document;
  var island = doc.getElementById('data');
  var data;
  try {
    data = JSON.parse(island.textContent);
  } catch (e) {
    return;
  }
  var rows = doc.querySelectorAll('#findings-table tbody tr[data-i]');
  var details = doc.querySelectorAll('details.finding[data-i]');
  var bar = doc.getElementById('filters');
  var count = doc.getElementById('f-count');
  var empty = doc.getElementById('f-empty');
  var reset = doc.getElementById('f-reset');
  var keys = ['severity', 'rule', 'account', 'ou', 'q'];
  var controls = {
    severity: doc.getElementById('f-severity'),
    rule: doc.getElementById('f-rule'),
    account: doc.getElementById('f-account'),
    ou: doc.getElementById('f-ou'),
    q: doc.getElementById('f-q')
  };
  var choices = {
    severity: data.severities,
    rule: data.rules,
    account: data.accounts,
    ou: data.ous
  };

  function addOption(select, value, label) {
    var option = doc.createElement('option');
    option.value = value;
    option.textContent = label;
    select.appendChild(option);
  }

  function hasOption(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        return true;
      }
    }
    return false;
  }

  Object.keys(choices).forEach(function (key) {
    choices[key].forEach(function (choice) {
      addOption(controls[key], choice.value, choice.label);
    });
  });

  function state() {
    var s = {};
    keys.forEach(function (key) {
      s[key] = controls[key].value;
    });
    return s;
  }

  function apply() {
    var s = state();
    var terms = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    data.findings.forEach(function (f, i) {
      var match = (!s.severity || f.severity === s.severity) &&
        (!s.rule || f.rule === s.rule) &&
        (!s.account || f.account === s.account) &&
        (!s.ou || f.ou === s.ou || f.ou.indexOf(s.ou + '/') === 0) &&
        terms.every(function (t) { return f.text.indexOf(t) !== -1; });
      if (rows[i]) {
        rows[i].hidden = !match;
      }
      if (details[i]) {
        details[i].hidden = !match;
      }
      if (match) {
        shown++;
      }
    });
    count.textContent = shown === data.findings.length ?
      shown + ' findings' : shown + ' of ' + data.findings.length + ' findings';
    empty.hidden = shown !== 0;
  }

  function writeFragment() {
    var s = state();
    var params = new URLSearchParams();
    keys.forEach(function (key) {
      if (s[key]) {
        params.set(key, s[key]);
      }
    });
    var fragment = params.toString();
    try {
      history.replaceState(null, '', fragment ? '#' + fragment : location.pathname + location.search);
    } catch (e) {
      // Some browsers refuse history changes on file:// pages; the filters still work.
    }
  }

  function readFragment(fromUser) {
    var fragment = location.hash.slice(1);
    if (fragment.indexOf('finding-') === 0) {
      var target = doc.getElementById(fragment);
      if (target && target.tagName === 'DETAILS') {
        target.hidden = false;
        target.open = true;
      }
      return;
    }
    if (fragment && fragment.indexOf('=') === -1) {
      return; // A section anchor such as #rules.
    }
    var params = new URLSearchParams(fragment);
    keys.forEach(function (key) {
      var value = params.get(key) || '';
      var control = controls[key];
      if (control.tagName === 'SELECT' && value && !hasOption(control, value)) {
        addOption(control, value, value);
      }
      control.value = value;
    });
    apply();
    if (fromUser && fragment) {
      doc.getElementById('findings').scrollIntoView();
    }
  }

  Object.keys(choices).forEach(function (key) {
    controls[key].addEventListener('change', function () {
      apply();
      writeFragment();
    });
  });
  controls.q.addEventListener('input', function () {
    apply();
    writeFragment();
  });
  reset.addEventListener('click', function () {
    keys.forEach(function (key) {
      controls[key].value = '';
    });
    apply();
    writeFragment();
  });
  window.addEventListener('hashchange', function () {
    readFragment(true);
  });

  bar.hidden = false;
  readFragment(false);
  doc.documentElement.setAttribute('data-js', 'ready');
}());
