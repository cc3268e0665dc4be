// Warn before the session ends and let the user stay signed in (WCAG 2.2.1). The server
// restarts the session's clock on every request; this page counts down from when it loaded.
const body = document.body;
const total = Number(body.dataset.sessionSeconds || 0);
const warnAt = Number(body.dataset.sessionWarn || 120);
const warning = document.getElementById("session-warning");

if (total > 0 && warning) {
  const countdown = warning.querySelector("[data-session-countdown]");
  const form = warning.querySelector("[data-session-extend]");
  let endsAt = Date.now() + total * 1000;

  const words = (seconds) => {
    const minutes = Math.ceil(seconds / 60);
    return seconds > 60 ? `${minutes} minutes` : `${Math.max(0, Math.round(seconds))} seconds`;
  };

  const tick = () => {
    const left = (endsAt - Date.now()) / 1000;
    if (left <= 0) {
      countdown.textContent = "0 seconds";
      warning.querySelector("h2").textContent = "Your session has ended";
      warning.querySelector("p").textContent =
        "Sign in again to carry on. If you send a form now, what you typed is kept for after you sign in.";
      form.hidden = true;
      warning.hidden = false;
      return;
    }
    if (left <= warnAt) {
      if (warning.hidden) {
        warning.hidden = false;
        warning.querySelector("button").focus();
      }
      countdown.textContent = words(left);
    }
    window.setTimeout(tick, 1000);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();  // stay on the page: what is being typed must not be lost
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    });
    if (response.ok) {
      const { seconds } = await response.json();
      endsAt = Date.now() + seconds * 1000;
      warning.hidden = true;
    }
  });

  window.setTimeout(tick, Math.max(0, (total - warnAt) * 1000 - 500));
  if (total <= warnAt) tick();
}
