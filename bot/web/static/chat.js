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
  // The parts' titles and the panel's words come from the server (/api/statement),
  // so a part has one name everywhere.
  const REVIEW_CHECK_MS = 10000; // how often to ask whether the caseworker has decided
  let csrfToken = "";
  let sending = false;
  let pending = null; // a message that failed to send: {text, shown, id, button}
  let written = null; // parts written in this chat, as the assistant last said
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
    return item;
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
      button.addEventListener("click", () => send(b.payload, b.title, true));
      group.appendChild(button);
    }
    messages.appendChild(group);
    messages.scrollTop = messages.scrollHeight;
  }

  // Once a newer question is asked, the choices of earlier ones no longer work.
  function closeChoices() {
    for (const button of messages.querySelectorAll(".choices button")) button.disabled = true;
  }

  function showReplies(replies) {
    closeChoices();
    for (const r of replies) {
      if (r.text) addMessage("bot", r.text);
      addButtons(r.buttons);
      // Rewriting a part: the box starts with its text, to edit rather than retype.
      if (typeof r.edit === "string") {
        box.value = r.edit;
        box.setSelectionRange(box.value.length, box.value.length);
      }
      if (typeof r.written === "number") written = r.written;
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

  async function send(text, shown, button) {
    if (sending || !text.trim()) return;
    sending = true;
    sendButton.disabled = true;
    notice.hidden = true;
    const hidden = shown === "";
    // Sending the same message again keeps its id, so if the first try did reach
    // the assistant it is answered once, not twice.
    const again = pending !== null && pending.text === text;
    const bubble = !hidden && !again ? addMessage("user", shown || text) : null;
    pending = { text: text, shown: shown, id: again ? pending.id : messageId(), button: !!button };
    typing.hidden = false;
    try {
      const result = await api("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
        body: JSON.stringify({
          message: text, message_id: pending.id, retry: again, button: pending.button,
        }),
      });
      if (result.status === 409) { // a choice the chat has moved past: nothing was sent
        pending = null;
        if (bubble) bubble.remove(); // so the page does not show it as said
        closeChoices();
        showNotice(result.body.error);
        return;
      }
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

  function paragraph(text, className) {
    const p = document.createElement("p");
    p.textContent = text;
    if (className) p.className = className;
    statementPanel.appendChild(p);
  }

  async function refreshStatement() {
    const result = await api("/api/statement");
    if (!result.ok) return;
    const body = result.body;
    const words = body.words;
    showSaving(body.saving);
    const statement = body.statement;
    statementPanel.textContent = "";
    if (!statement) {
      // Nothing saved: without a yes to saving, still say how far this chat has got.
      const count = written === null ? 0 : written;
      const unsaved = !body.saving && written !== null;
      paragraph(unsaved ? words.not_saved.replace("{written}", count) : words.nothing_yet);
      progress.textContent = unsaved ? words.progress_not_saved.replace("{written}", count) : "";
      return;
    }
    progress.textContent = words.progress.replace("{written}", statement.parts_written);
    paragraph(statement.status_text, "status");
    if (body.approved_version) showDownloads(body.approved_version);
    for (const { part: key, title: name } of body.titles) {
      const title = document.createElement("h3");
      title.textContent = name;
      const text = document.createElement("p");
      text.textContent = statement.parts[key] || words.part_not_written;
      statementPanel.appendChild(title);
      statementPanel.appendChild(text);
      for (const comment of (statement.comments && statement.comments[key]) || []) {
        paragraph(words.comment + comment, "comment");
      }
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
    if (pending) send(pending.text, pending.shown, pending.button);
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
