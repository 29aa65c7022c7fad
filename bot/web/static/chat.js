// The chat page: sends messages through /api/chat, restores the conversation on
// reload, keeps a message that failed to send in the box, and shows the draft.
// Text is always put into the page with textContent, never as HTML.
"use strict";

(function () {
  const messages = document.getElementById("messages");
  const form = document.getElementById("send-form");
  const box = document.getElementById("message");
  const sendButton = document.getElementById("send");
  const typing = document.getElementById("typing");
  const notice = document.getElementById("notice");
  const noticeText = document.getElementById("notice-text");
  const retry = document.getElementById("retry");
  const progress = document.getElementById("progress");
  const statementPanel = document.getElementById("statement");
  const PART_TITLES = {
    what_happened: "What happened",
    circumstances: "What was going on at the time",
    feelings_now: "How I feel about it now",
    aspirations: "What I want to do next",
  };
  const REVIEW_CHECK_MS = 10000; // how often to ask whether the caseworker has decided
  let csrfToken = "";
  let sending = false;
  let pending = null; // a message that failed to send: {text, shown, id}
  // send(text, shown): shown is what the page shows for it (a button's title);
  // "" shows nothing (the page's own "/session_start").

  function addMessage(from, text) {
    const item = document.createElement("div");
    item.className = "msg " + from;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = from === "bot" ? "Assistant: " : "You: ";
    item.appendChild(who);
    item.appendChild(document.createTextNode(text));
    messages.appendChild(item);
    messages.scrollTop = messages.scrollHeight;
  }

  function addButtons(buttons) {
    if (!buttons || !buttons.length) return;
    const group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Choices");
    for (const b of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", () => send(b.payload, b.title));
      group.appendChild(button);
    }
    messages.appendChild(group);
    messages.scrollTop = messages.scrollHeight;
  }

  function showReplies(replies) {
    for (const r of replies) {
      if (r.text) addMessage("bot", r.text);
      addButtons(r.buttons);
    }
  }

  function showNotice(text) {
    noticeText.textContent = text;
    notice.hidden = false;
  }

  async function api(path, options) {
    const response = await fetch(path, Object.assign({ credentials: "same-origin" }, options));
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    if (response.status === 401) { window.location.href = "/"; }
    return { ok: response.ok, status: response.status, body: body };
  }

  // 32 hex digits, unique to one message (crypto.randomUUID needs https).
  function messageId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function send(text, shown) {
    if (sending || !text.trim()) return;
    sending = true;
    sendButton.disabled = true;
    notice.hidden = true;
    const hidden = shown === "";
    // Sending the same message again keeps its id, so if the first try did reach
    // the assistant it is answered once, not twice.
    const again = pending !== null && pending.text === text;
    if (!hidden && !again) addMessage("user", shown || text);
    pending = { text: text, shown: shown, id: again ? pending.id : messageId() };
    typing.hidden = false;
    try {
      const result = await api("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
        body: JSON.stringify({ message: text, message_id: pending.id, retry: again }),
      });
      if (!result.ok) {
        showNotice((result.body && result.body.error) || "Your message was not sent.");
        if (!shown) box.value = text;
        return;
      }
      pending = null;
      if (!shown) box.value = "";
      showReplies(result.body.replies || []);
      refreshStatement();
    } catch (e) {
      showNotice("Your message was not sent: the connection dropped. It is still in the box.");
      if (!shown) box.value = text;
    } finally {
      typing.hidden = true;
      sending = false;
      sendButton.disabled = false;
      box.focus();
    }
  }

  async function refreshStatement() {
    const result = await api("/api/statement");
    if (!result.ok) return;
    showSaving(result.body.saving);
    const statement = result.body.statement;
    statementPanel.textContent = "";
    if (!statement) {
      const p = document.createElement("p");
      p.textContent = "Nothing saved yet.";
      statementPanel.appendChild(p);
      progress.textContent = "";
      return;
    }
    progress.textContent = statement.parts_written + " of 4 parts written";
    if (result.body.approved_version) showDownloads(result.body.approved_version);
    for (const key of Object.keys(PART_TITLES)) {
      const title = document.createElement("h3");
      title.textContent = PART_TITLES[key];
      const text = document.createElement("p");
      text.textContent = statement.parts[key] || "Not written yet.";
      statementPanel.appendChild(title);
      statementPanel.appendChild(text);
      const notes = (statement.notes && statement.notes[key]) || [];
      if (notes.length) {
        const list = document.createElement("ul");
        list.className = "notes";
        for (const note of notes) {
          const item = document.createElement("li");
          item.className = note.kind;
          item.textContent =
            (note.kind === "strength" ? "What works well: " : "Even better if: ") + note.message;
          list.appendChild(item);
        }
        statementPanel.appendChild(list);
      }
    }
  }

  function showDownloads(version) {
    const box = document.createElement("div");
    box.className = "approved";
    const said = document.createElement("p");
    said.textContent = "Approved by your caseworker (version " + version + "). Download it:";
    box.appendChild(said);
    for (const [format, label] of [["docx", "Word document (.docx)"], ["txt", "Text (.txt)"]]) {
      const link = document.createElement("a");
      link.className = "button";
      link.href = "/api/statement/approved." + format;
      link.textContent = label;
      box.appendChild(link);
      box.appendChild(document.createTextNode(" "));
    }
    statementPanel.appendChild(box);
  }

  // When a caseworker has decided on the statement, the assistant says so in the
  // chat: on opening the page, and within a few seconds while it is open.
  async function checkReview() {
    if (sending || pending) return;
    const result = await api("/api/review");
    if (result.ok && result.body.waiting && !sending && !pending) {
      await send("/review_feedback", "");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(box.value);
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send(box.value);
    }
  });
  retry.addEventListener("click", () => {
    if (pending) send(pending.text, pending.shown);
  });

  // Without a yes to saving, the page says what a reload will and will not bring back.
  function showSaving(saving) {
    document.getElementById("unsaved-note").hidden = saving;
  }

  async function start() {
    const me = await api("/api/me");
    if (!me.ok) return;
    csrfToken = me.body.csrf_token;
    const history = await api("/api/chat/history");
    const past = (history.ok && history.body.messages) || [];
    let lastUser = -1;
    past.forEach((m, i) => { if (m.from === "user") lastUser = i; });
    past.forEach((m, i) => {
      if (m.from === "user") { addMessage("user", m.text); return; }
      if (m.text) addMessage("bot", m.text);
      if (i > lastUser) addButtons(m.buttons); // the choices still open
    });
    if (!past.length) await send("/session_start", "");
    refreshStatement();
    await checkReview();
    setInterval(checkReview, REVIEW_CHECK_MS);
    box.focus();
  }

  start();
})();
