/* The Promote tab's SEO check (website/seo_checks.py, SeoChecksPanel) follows the editor's unsaved edits.
   When the edit form's values change, they go to Wagtail's preview view exactly as the preview panel sends
   them, and the check is read back from the SEO preview of those values: the check and the SEO Preview mode
   are computed from the same unsaved page.

   Typing and choosers (which fire "change") are heard at once; Wagtail's own w-unsaved:add, which polls the
   form, catches what fires neither, such as the rich text editor. Wagtail's admin loads scripts before
   the page's content, so this waits for the content. */
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("[data-seo-checks-panel]");
  const form = panel && panel.closest("form");
  if (!form) return;
  const url = panel.dataset.seoChecksUrl;
  const stale = panel.parentElement.querySelector("[data-seo-checks-stale]");
  const WAIT = 400; // milliseconds of quiet after a keystroke before the form is checked
  const values = () => new URLSearchParams(new FormData(form)).toString();
  let checked = values(); // the values the panel shows the problems of
  let running = null;
  let timer = null;

  async function refresh(data) {
    const sent = await fetch(url, { method: "POST", body: data });
    const { is_valid: valid } = await sent.json();
    stale.hidden = valid;
    if (!valid) return;
    const preview = await fetch(`${url}?mode=wagtail-seo`);
    const html = new DOMParser().parseFromString(await preview.text(), "text/html");
    const checks = html.querySelector("template[data-seo-checks-template]");
    if (!checks) throw new Error("The SEO preview has no check in it.");
    panel.replaceChildren(document.importNode(checks.content, true));
  }

  // One refresh at a time; when it ends, the form is looked at again for edits made meanwhile.
  function check() {
    if (running || values() === checked) return;
    checked = values();
    running = refresh(new FormData(form))
      .catch(() => {
        stale.hidden = false;
      })
      .finally(() => {
        running = null;
        check();
      });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(check, WAIT);
  }

  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  document.addEventListener("w-unsaved:add", soon);
});
