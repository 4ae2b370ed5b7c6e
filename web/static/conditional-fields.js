// Show a conditional form field only while the answer it depends on holds.
// Without JavaScript every field stays visible with its "Only when ..." note.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  document.querySelectorAll("[data-conditional-form]").forEach(function (form) {
    var dependents = form.querySelectorAll("[data-show-if]");

    function currentValue(name) {
      var checked = form.querySelector('[name="' + name + '"]:checked');
      if (checked) return checked.value;
      var field = form.querySelector('select[name="' + name + '"], input[name="' + name + '"]:not([type=radio])');
      return field ? field.value : "";
    }

    function refresh() {
      dependents.forEach(function (wrapper) {
        var wanted = String(JSON.parse(wrapper.dataset.equals));
        var shown = currentValue(wrapper.dataset.showIf) === wanted;
        wrapper.hidden = !shown;
        wrapper.querySelectorAll("input, select, textarea").forEach(function (input) {
          input.disabled = !shown;
        });
      });
    }

    dependents.forEach(function (wrapper) {
      var note = wrapper.querySelector(".when");
      if (note) note.hidden = true;
    });
    form.addEventListener("change", refresh);
    refresh();
  });
});
