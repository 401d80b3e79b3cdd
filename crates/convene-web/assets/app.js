// Convene enhances pages that already work without JavaScript.
document.addEventListener('DOMContentLoaded', function () {
  // Move focus to a form's error summary so screen readers announce it.
  var errors = document.querySelector('.errors');
  if (errors) { errors.focus(); }
});
