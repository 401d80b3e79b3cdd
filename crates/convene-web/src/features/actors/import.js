// Enhances the import form: a file chooser beside each text box reads a CSV or JSON
// file into it, in the browser. Without JavaScript, contents are pasted.
(function () {
  'use strict';
  document.querySelectorAll('textarea[data-file-label]').forEach(function (area) {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = '.csv,.json,.txt,text/csv,application/json';
    input.id = area.id + '-file';
    var label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = area.getAttribute('data-file-label');
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () { area.value = String(reader.result); };
      reader.readAsText(file);
    });
    area.parentNode.insertBefore(label, area);
    area.parentNode.insertBefore(input, area);
  });
}());
