// The screen page's "Copy the text" button: copies the suggested message from its textarea. Without scripts (or
// without the clipboard API) the button stays hidden and the text can be selected in the textarea.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        button.textContent = "Copied";
      }, function () {
        source.select();
        button.textContent = "Select the text and copy it";
      });
    });
  });
});
